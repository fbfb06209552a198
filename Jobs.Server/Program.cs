using Jobs.Dashboard;
using Jobs.Server;
using Jobs.Server.Alerts;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(args);
var tasksSwitchedOff = JobsHostConfiguration.ApplyDefaults(builder.Configuration);
var storage = builder.Services.AddJobsHost(builder.Configuration);
builder.Services.AddJobsDashboard(builder.Configuration);

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

// Local requests only unless Jobs:Dashboard names policies or roles (see appsettings.json).
app.MapJobsDashboard("/jobs");
await app.RunAsync();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
