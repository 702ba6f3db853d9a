import { ErrorCode } from "../../protocol/errors.ts";
import {
  describeGroups,
  type DescribeGroupsRequest,
  type DescribeGroupsResponse,
} from "../../protocol/describe-groups/index.ts";
import { defineHandler, refusal, type RequestContext } from "../context.ts";

export const describeGroupsHandler = defineHandler({
  api: describeGroups,
  handle(req: DescribeGroupsRequest, ctx: RequestContext): DescribeGroupsResponse {
    const { broker } = ctx;
    return {
      throttleTimeMs: 0,
      groups: req.groups.map((id) => {
        if (refusal(ctx, { op: "group", group: id })) {
          return {
            errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED,
            groupId: id,
            groupState: "",
            protocolType: "",
            protocolData: "",
            members: [],
            authorizedOperations: -2147483648,
          };
        }
        const g = broker.groups.describe(id);
        return {
          errorCode: g.errorCode,
          groupId: id,
          groupState: g.state,
          protocolType: g.protocolType,
          protocolData: g.protocolName,
          members: g.members.map((m) => ({
            memberId: m.memberId,
            groupInstanceId: m.groupInstanceId,
            clientId: m.clientId,
            clientHost: m.clientHost,
            memberMetadata: m.metadata,
            memberAssignment: m.assignment,
          })),
          authorizedOperations: -2147483648, // INT32_MIN: not requested / not computed
        };
      }),
    };
  },
});
