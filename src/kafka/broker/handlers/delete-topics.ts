import {
  deleteTopics,
  type DeleteTopicsRequest,
  type DeleteTopicsResponse,
} from "../../protocol/delete-topics/index.ts";
import { defineHandler, type RequestContext } from "../context.ts";
import { TopicError } from "../log/index.ts";

export const deleteTopicsHandler = defineHandler({
  api: deleteTopics,
  async handle(
    req: DeleteTopicsRequest,
    { broker }: RequestContext,
  ): Promise<DeleteTopicsResponse> {
    const responses = [];
    for (const name of req.topicNames) {
      try {
        broker.logs.deleteTopic(name);
        await broker.groups.deleteTopic(name);
        responses.push({ name, errorCode: 0 });
      } catch (e) {
        if (!(e instanceof TopicError)) throw e;
        responses.push({ name, errorCode: e.errorCode });
      }
    }
    return { throttleTimeMs: 0, responses };
  },
});
