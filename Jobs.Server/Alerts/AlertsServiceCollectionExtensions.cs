using Jobs.Dashboard.Alerts;
using Jobs.Filters;
using Jobs.Tasks.Mail;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Jobs.Server.Alerts;

/// <summary><c>services.AddJobsAlerts(configuration)</c>: alert e-mails about finally failed jobs, configured by <c>Alerts:Email</c>.</summary>
public static class AlertsServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates (at start) <see cref="AlertEmailOptions"/>, and registers the SMTP sender and the
    /// <see cref="ITaskEmailSender"/> the tasks mail through (both use these settings). When <c>Alerts:Email:Enabled</c> is true,
    /// also registers the alert filter, the alert jobs' retry, the dashboard's "Send test e-mail", and adds the alert queue to
    /// the server's queues. Returns whether alerts are enabled.
    /// </summary>
    public static bool AddJobsAlerts(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(AlertEmailOptions.SectionName);
        services.AddOptions<AlertEmailOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AlertEmailOptions>, AlertEmailOptionsValidator>());
        var settings = section.Get<AlertEmailOptions>() ?? new AlertEmailOptions();

        // The tasks' e-mails (the weekly report) use the same mail server, whether alerts are on or not.
        services.TryAddSingleton<IEmailSender, SmtpEmailSender>();
        services.TryAddSingleton<ITaskEmailSender, SmtpTaskEmailSender>();
        if (!settings.Enabled)
        {
            return false;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AlertMailer>();
        services.TryAddSingleton<AlertEmailComposer>();
        services.TryAddSingleton<AlertWindowTracker>();
        services.TryAddSingleton<AlertEmailTester>();
        services.TryAddSingleton<IDashboardTestEmailSender, DashboardTestEmailSender>();
        services.TryAddTransient<AlertEmailJob>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IApplyStateFilter, AlertEmailFilter>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IElectStateFilter, AlertJobRetryFilter>());
        services.AddOptions<BackgroundJobServerOptions>().PostConfigure<IOptions<AlertEmailOptions>>((server, alerts) =>
        {
            // The alert jobs wait in their own queue: a server that does not listen to it would never send them.
            if (!server.Queues.Contains(alerts.Value.Queue, StringComparer.Ordinal))
            {
                server.Queues = [.. server.Queues, alerts.Value.Queue];
            }
        });
        return true;
    }
}
