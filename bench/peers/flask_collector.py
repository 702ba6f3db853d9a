"""The seeds' room collector, as the seed tutorial describes it, for bench/collector.

A Flask app whose POST /office_status hands the JSON body to a kafka-python KafkaProducer
(JSON value serializer) for topic 'room' with the room number as the key, and answers 200 at
once; served by Flask's own server with threaded=True, as the seed ran it.

    /usr/bin/python3 bench/peers/flask_collector.py <http port> <kafka bootstrap host:port>

Needs Debian's python3-flask and python3-kafka.
"""

import json
import sys

from flask import Flask, request
from kafka import KafkaProducer

port = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
bootstrap = sys.argv[2] if len(sys.argv) > 2 else "127.0.0.1:9092"

app = Flask(__name__)
producer = KafkaProducer(
    bootstrap_servers=[bootstrap],
    key_serializer=lambda k: str(k).encode("utf-8"),
    value_serializer=lambda v: json.dumps(v).encode("utf-8"),
)


@app.route("/office_status", methods=["POST"])
def office_status():
    data = request.get_json()
    producer.send("room", key=data["room_no"], value=data)
    return "", 200


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=port, threaded=True)
