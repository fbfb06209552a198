using Jobs;
using Jobs.Filters;
using Jobs.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// A real job server for the end-to-end tests. Everything comes from configuration (environment variables
// such as Jobs__Server__WorkerCount, or --Jobs:Server:WorkerCount=… on the command line):
//   ConnectionStrings:Jobs          the test database (required)
//   Jobs:PostgreSql:SchemaName      the test's schema; the probe table lives there too (required)
//   Jobs:Server:*                   BackgroundJobServerOptions: ServerName, WorkerCount, ServerTimeout, HeartbeatInterval, …
var builder = Host.CreateApplicationBuilder(args);
var connectionString = builder.Configuration.GetConnectionString("Jobs");
var schema = builder.Configuration["Jobs:PostgreSql:SchemaName"];
if (string.IsNullOrWhiteSpace(connectionString) || string.IsNullOrWhiteSpace(schema))
{
    await Console.Error.WriteLineAsync("Jobs.Tests.Host needs ConnectionStrings:Jobs and Jobs:PostgreSql:SchemaName.");
    return 2;
}

var serverSection = builder.Configuration.GetSection("Jobs:Server");
var serverName = serverSection["ServerName"] ?? "e2e";
builder.Logging.AddSimpleConsole(o =>
{
    o.SingleLine = true;
    o.TimestampFormat = "HH:mm:ss.fff ";
});
builder.Services.AddSingleton(new ProbeSettings(connectionString, schema, serverName));
builder.Services.AddScoped<ProbeContext>();
builder.Services.AddSingleton<IServerFilter, ProbeContextFilter>();
builder.Services.AddJobs(o => o.UsePostgreSqlStorage(connectionString, pg => builder.Configuration.GetSection("Jobs:PostgreSql").Bind(pg)));
builder.Services.AddJobsServer(o =>
{
    var queues = serverSection.GetSection("Queues").Get<string[]>();
    serverSection.Bind(o);
    if (queues is { Length: > 0 })
    {
        o.Queues = queues; // the binder appends to the default list; configured queues replace it
    }
});

if (int.TryParse(Environment.GetEnvironmentVariable(ParentWatcher.Variable), out var parentPid))
{
    builder.Services.AddHostedService(sp => ActivatorUtilities.CreateInstance<ParentWatcher>(sp, parentPid));
}

using var host = builder.Build();
var server = host.Services.GetRequiredService<BackgroundJobServer>();
host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Jobs.Tests.Host")
    .LogInformation("Jobs.Tests.Host pid {Pid} runs server {ServerId} on schema {Schema}", Environment.ProcessId, server.ServerId, schema);
await host.RunAsync();
return 0;
