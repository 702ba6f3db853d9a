import {
  describeGroups,
  type DescribeGroupsRequest,
  type DescribeGroupsResponse,
} from "../../protocol/describe-groups/index.ts";
import { defineHandler, type RequestContext } from "../context.ts";

export const describeGroupsHandler = defineHandler({
  api: describeGroups,
  handle(req: DescribeGroupsRequest, { broker }: RequestContext): DescribeGroupsResponse {
    return {
      throttleTimeMs: 0,
      groups: req.groups.map((id) => {
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
