using Jobs.Tasks;

namespace Jobs.Server;

/// <summary>Defaults the host derives from what is configured, applied before anything reads the configuration.</summary>
public static class JobsHostConfiguration
{
    /// <summary>
    /// The tasks work on <c>ConnectionStrings:App</c>; when it is empty they use the jobs database.
    /// With no database at all (the in-memory first run) the tasks have nothing to work on, so they (all but the weekly report) are
    /// switched off unless configuration turns one on explicitly; the returned ids say which. The weekly report
    /// is switched off (unless turned on) when <c>Alerts:Email:Host</c> names no mail server to send it through.
    /// </summary>
    public static IReadOnlyList<string> ApplyDefaults(IConfigurationManager configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var defaults = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var jobs = configuration.GetConnectionString("Jobs");
        var app = configuration.GetConnectionString("App");
        var switchedOff = new List<string>();

        // The weekly report goes out through the mail server of Alerts:Email: without one it stays off unless turned on.
        var reportEnabled = $"{RecurringTaskCatalog.ConfigurationSection}:{WeeklyReportTask.Id}:Enabled";
        if (string.IsNullOrWhiteSpace(configuration["Alerts:Email:Host"]) && configuration[reportEnabled] is null)
        {
            defaults[reportEnabled] = "false";
        }

        if (string.IsNullOrWhiteSpace(app) && !string.IsNullOrWhiteSpace(jobs))
        {
            defaults["ConnectionStrings:App"] = jobs;
        }
        else if (string.IsNullOrWhiteSpace(app))
        {
            // The weekly report reads the job storage, not the application database: it is not affected.
            foreach (var task in RecurringTaskCatalog.FromAssembly(configuration: null).Definitions.Where(t => t.Id != WeeklyReportTask.Id))
            {
                var enabled = configuration[$"{RecurringTaskCatalog.ConfigurationSection}:{task.Id}:Enabled"];
                var connection = configuration[$"{RecurringTaskCatalog.ConfigurationSection}:{task.Id}:ConnectionString"];
                if (string.IsNullOrWhiteSpace(connection) && !string.Equals(enabled, "true", StringComparison.OrdinalIgnoreCase))
                {
                    defaults[$"{RecurringTaskCatalog.ConfigurationSection}:{task.Id}:Enabled"] = "false";
                    switchedOff.Add(task.Id);
                }
            }
        }

        if (defaults.Count > 0)
        {
            configuration.AddInMemoryCollection(defaults);
        }

        return switchedOff;
    }
}
