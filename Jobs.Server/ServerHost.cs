using Jobs.Dashboard;
using Jobs.Server.Alerts;
using Jobs.Server.DashboardUsers;
using Jobs.Server.Health;
using Microsoft.Extensions.Options;

namespace Jobs.Server;

/// <summary>
/// The web host of the <c>run</c> command (the default): job storage, server, recurring tasks, alerts, the dashboard
/// at <c>/jobs</c> and the status at <c>/status</c>. Services belong in <see cref="CreateBuilder"/>, which the other
/// commands build on too (so they read the same configuration and storage); endpoints belong in <see cref="Build"/>.
/// </summary>
internal static class ServerHost
{
    /// <summary>
    /// The host's builder with every service registered: configuration from appsettings.json, environment variables
    /// and <paramref name="args"/> as in any ASP.NET Core host, then <paramref name="overrides"/> on top.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(string[] args, IEnumerable<KeyValuePair<string, string?>>? overrides = null) =>
        Prepare(args, overrides).Builder;

    /// <summary>The host <c>run</c> starts: built, its start-up settings logged, its endpoints mapped.</summary>
    public static WebApplication Build(string[] args)
    {
        var (builder, storage, tasksSwitchedOff) = Prepare(args, overrides: null);
        var app = builder.Build();
        if (storage == JobsStorageKind.InMemory)
        {
            JobsHostLog.InMemoryStorage(app.Logger);
        }
        else
        {
            JobsHostLog.PostgreSqlStorage(app.Logger, builder.Configuration["Jobs:PostgreSql:SchemaName"] ?? "jobs");
        }

        foreach (var taskId in tasksSwitchedOff)
        {
            JobsHostLog.TaskWithoutDatabase(app.Logger, taskId);
        }

        var alerts = app.Services.GetRequiredService<IOptions<AlertEmailOptions>>().Value;
        if (alerts.Enabled)
        {
            AlertsLog.Enabled(app.Logger, alerts.Host!, alerts.Port, alerts.TlsMode, alerts.To.Count, alerts.Window, alerts.Queue);
        }

        app.MapJobsStatus();
        app.MapJobsHealth();
        app.MapJobsMetrics();

        // Local requests only unless Jobs:Dashboard names users (sign-in), policies or roles (see appsettings.json).
        app.UseDashboardUsers("/jobs");
        app.UseDashboardStorageGuard("/jobs"); // a 503 page while the database is away, not an error page
        app.MapJobsDashboard("/jobs");
        return app;
    }

    private static (WebApplicationBuilder Builder, JobsStorageKind Storage, IReadOnlyList<string> TasksSwitchedOff) Prepare(
        string[] args, IEnumerable<KeyValuePair<string, string?>>? overrides)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        var tasksSwitchedOff = JobsHostConfiguration.ApplyDefaults(builder.Configuration);
        var storage = builder.Services.AddJobsHost(builder.Configuration);
        builder.Services.AddJobsDashboard(builder.Configuration);
        return (builder, storage, tasksSwitchedOff);
    }
}
