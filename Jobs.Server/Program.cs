using Jobs.Server;

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

app.MapJobsStatus();
await app.RunAsync();
