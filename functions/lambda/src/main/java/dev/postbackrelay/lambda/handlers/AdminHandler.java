package dev.postbackrelay.lambda.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.postbackrelay.common.Reason;
import dev.postbackrelay.common.RejectedException;
import dev.postbackrelay.lambda.admin.AdminApi;
import dev.postbackrelay.lambda.admin.AdminAuth;
import dev.postbackrelay.lambda.admin.DryRunApi;
import dev.postbackrelay.lambda.admin.LogsApi;
import dev.postbackrelay.lambda.admin.ReportsApi;
import dev.postbackrelay.lambda.http.HttpRequests;
import dev.postbackrelay.lambda.http.HttpResponses;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.Map;

/**
 * The admin routes: campaigns, the received-postbacks log (listed, by postback id and by click id)
 * and its dry run, clicks, conversions and deliveries.
 */
@Named("admin")
public class AdminHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

  @Inject
  AdminApi admin;
  @Inject
  AdminAuth auth;
  @Inject
  LogsApi logs;
  @Inject
  DryRunApi dryRuns;
  @Inject
  ReportsApi reports;

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    try {
      auth.check(event);
      Map<String, String> path = event.getPathParameters() == null ? Map.of() : event.getPathParameters();
      if ("GET /admin/reports".equals(event.getRouteKey())) {
        return ReturnReport.of(reports.report(HttpRequests.query(event)));
      }
      var body = switch (String.valueOf(event.getRouteKey())) {
        case "GET /admin/campaigns" -> admin.listCampaigns(HttpRequests.query(event));
        case "PUT /admin/campaigns/{campaign_id}" -> admin.putCampaign(path.get("campaign_id"), HttpRequests.body(event));
        case "GET /admin/campaigns/{campaign_id}" -> admin.getCampaign(path.get("campaign_id"));
        case "GET /admin/campaigns/{campaign_id}/postback-urls" ->
            admin.postbackUrls(path.get("campaign_id"), HttpRequests.baseUrl(event));
        case "GET /admin/postbacks" -> logs.listPostbacks(HttpRequests.query(event));
        case "GET /admin/postbacks/{postback_id}" -> admin.getPostback(path.get("postback_id"));
        case "POST /admin/postbacks/dry-run" -> dryRuns.dryRun(HttpRequests.body(event), HttpRequests.sourceIp(event));
        case "GET /admin/clicks" -> logs.listClicks(HttpRequests.query(event));
        case "GET /admin/conversions" -> logs.listConversions(HttpRequests.query(event));
        case "GET /admin/clicks/{click_id}" -> admin.getClick(path.get("click_id"));
        case "GET /admin/deliveries" -> logs.listDeliveries(HttpRequests.query(event));
        case "POST /admin/deliveries/{delivery_id}/retry" -> logs.retryDelivery(path.get("delivery_id"));
        case "POST /admin/deliveries/replay" -> admin.replayDeadDeliveries(HttpRequests.query(event));
        default -> throw new RejectedException(Reason.NOT_FOUND);
      };
      return HttpResponses.json(200, body);
    } catch (RuntimeException e) {
      return HttpResponses.failure(e, HttpRequests.requestId(event));
    }
  }
}
