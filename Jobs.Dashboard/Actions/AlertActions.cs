using Jobs.Dashboard.Alerts;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Dashboard.Actions;

/// <summary>The alert e-mail's test, sent through the host's <see cref="IDashboardTestEmailSender"/>.</summary>
internal static class AlertActions
{
    public static async Task<ActionOutcome> SendTestEmailAsync(DashboardContext context)
    {
        var sender = context.Http.RequestServices.GetService<IDashboardTestEmailSender>();
        if (sender is null)
        {
            return ActionOutcome.NotFound("This host sends no alert e-mails (Alerts:Email:Enabled is false), so there is no test e-mail to send.");
        }

        var result = await sender.SendTestEmailAsync(context.Aborted);
        return result.Sent
            ? ActionOutcome.Done(result.Message)
            : new ActionOutcome(false, result.Message, StatusCodes.Status502BadGateway);
    }
}
