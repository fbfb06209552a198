using Jobs.Server;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Jobs.Tests.Health;

/// <summary>Jobs.Server's own Program in a <see cref="WebApplicationFactory{TEntryPoint}"/>, configured by settings as an operator would.</summary>
internal static class JobsServerHost
{
    /// <summary>Settings of a host on the test database in <paramref name="schema"/>, with the recurring tasks off.</summary>
    public static Dictionary<string, string?> PostgreSqlSettings(string connectionString, string schema) => new(StringComparer.Ordinal)
    {
        ["ConnectionStrings:Jobs"] = connectionString,
        ["ConnectionStrings:App"] = connectionString,
        ["Jobs:PostgreSql:SchemaName"] = schema,
        ["Jobs:Server:ServerName"] = "health-metrics",
        ["Jobs:Server:WorkerCount"] = "2",
        ["Tasks:cleanup-expired-sessions:Enabled"] = "false",
    };

    /// <summary>
    /// A factory for the host; with <paramref name="withoutTaskRegistrar"/> the start does not write the recurring tasks to
    /// the storage (that start-up step needs the database, which a test of an unreachable database does not have).
    /// </summary>
    public static WebApplicationFactory<Program> Create(IReadOnlyDictionary<string, string?> settings, bool withoutTaskRegistrar = false) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            if (withoutTaskRegistrar)
            {
                builder.ConfigureTestServices(services =>
                {
                    var registrar = services.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(RecurringTaskRegistrar));
                    services.Remove(registrar);
                });
            }
        });
}
