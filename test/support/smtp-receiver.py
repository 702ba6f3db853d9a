"""A real SMTP server for tests (Debian's python3-aiosmtpd): prints each mail it takes as one JSON
line on stdout. argv: port user password [certfile keyfile] — with a certificate it offers
STARTTLS and requires it before AUTH; without, AUTH is allowed in the clear (loopback only)."""
import asyncio, json, ssl, sys
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

port, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3]
tls = None
if len(sys.argv) > 5:
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(sys.argv[4], sys.argv[5])

def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password
    return AuthResult(success=ok, handled=False)

class Handler:
    async def handle_DATA(self, server, session, envelope):
        print(json.dumps({"from": envelope.mail_from, "to": envelope.rcpt_tos,
                          "data": envelope.content.decode("utf8", "replace"),
                          "tls": session.ssl is not None,
                          "auth": session.authenticated}), flush=True)
        return "250 OK"

controller = Controller(Handler(), hostname="127.0.0.1", port=port, authenticator=authenticator,
                        auth_required=True, auth_require_tls=tls is not None,
                        tls_context=tls, require_starttls=tls is not None)
controller.start()
print(json.dumps({"ready": port}), flush=True)
try:
    asyncio.get_event_loop().run_forever()
except KeyboardInterrupt:
    pass
finally:
    controller.stop()
