using Jobs.Server;
using Jobs.Server.Alerts;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(args);
var tasksSwitchedOff = JobsHostConfiguration.ApplyDefaults(builder.Configuration);
var storage = builder.Services.AddJobsHost(builder.Configuration);

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
await app.RunAsync();
