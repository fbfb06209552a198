using System.CommandLine;
using Jobs.Storage;
using Microsoft.Extensions.Logging.Console;
using Npgsql;

namespace Jobs.Server.Commands;

/// <summary>
/// What a command works with: the services of the server host (<see cref="ServerHost.CreateBuilder"/>, so the same
/// configuration, storage and task library as <c>run</c>), built but never started. Log messages go to stderr, warnings
/// and worse only, so standard output holds nothing but the command's answer. The storage neither creates nor migrates
/// the schema (only <c>migrate</c> does) and does not retry a database that cannot be reached: a command fails at once.
/// </summary>
internal sealed class CommandContext : IAsyncDisposable
{
    private const string NoJobsDatabase =
        "No jobs database is configured. Set ConnectionStrings:Jobs to a PostgreSQL connection string: in appsettings.json, " +
        "as the environment variable ConnectionStrings__Jobs, or on the command line as --ConnectionStrings:Jobs=\"Host=…;Database=…\".";

    private readonly WebApplication _host;

    private CommandContext(WebApplication host, ParseResult parseResult)
    {
        _host = host;
        Output = parseResult.InvocationConfiguration.Output;
    }

    public IServiceProvider Services => _host.Services;

    public IConfiguration Configuration => _host.Configuration;

    /// <summary>Where the command's answer goes (standard output).</summary>
    public TextWriter Output { get; }

    /// <summary>The job storage, after checking that a jobs database is configured.</summary>
    /// <exception cref="CommandException">No database, or a connection string that does not parse.</exception>
    public IJobStorage RequireJobStorage()
    {
        RequireJobsConnectionString();
        return Services.GetRequiredService<IJobStorage>();
    }

    /// <summary><c>ConnectionStrings:Jobs</c>, checked to be present and to parse.</summary>
    /// <exception cref="CommandException">No database, or a connection string that does not parse.</exception>
    public NpgsqlConnectionStringBuilder RequireJobsConnectionString() => RequireConnectionString("Jobs", NoJobsDatabase);

    /// <summary>The connection string <c>ConnectionStrings:<paramref name="name"/></c>, checked to be present and to parse.</summary>
    /// <exception cref="CommandException">It is empty (<paramref name="missing"/> says what to do) or does not parse.</exception>
    public NpgsqlConnectionStringBuilder RequireConnectionString(string name, string missing)
    {
        var value = Configuration.GetConnectionString(name);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new CommandException(missing);
        }

        try
        {
            return new NpgsqlConnectionStringBuilder(value);
        }
        catch (ArgumentException ex)
        {
            throw new CommandException($"ConnectionStrings:{name} is not a valid PostgreSQL connection string: {ex.Message}", ex);
        }
    }

    /// <summary>"database jobs on host:port", for messages; never the password.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder connection) =>
        $"database {connection.Database ?? "(default)"} on {connection.Host ?? "localhost"}:{connection.Port}";

    /// <summary>
    /// Builds the host's services from the command line's configuration arguments. <paramref name="overrides"/> go on top
    /// of every other configuration source; <paramref name="configureServices"/> runs after the host's own registrations.
    /// </summary>
    /// <exception cref="UsageException">A stray argument.</exception>
    /// <exception cref="CommandException">The configuration is invalid.</exception>
    public static CommandContext Create(
        ParseResult parseResult,
        IReadOnlyDictionary<string, string?>? overrides = null,
        Action<IServiceCollection>? configureServices = null,
        LogLevel storageLogLevel = LogLevel.Warning)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var args = HostArguments.Of(parseResult);
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Jobs:PostgreSql:PrepareSchemaIfNecessary"] = "false",
            ["Jobs:PostgreSql:TransientRetryAttempts"] = "0",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        WebApplicationBuilder builder;
        try
        {
            builder = ServerHost.CreateBuilder(args, settings);
        }
        catch (ArgumentException ex)
        {
            // The storage options are checked while the services are registered (e.g. an invalid schema name).
            throw new CommandException("Invalid configuration: " + ex.Message, ex);
        }

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.AddFilter<ConsoleLoggerProvider>(null, LogLevel.Warning);
        builder.Logging.AddFilter<ConsoleLoggerProvider>("Jobs.PostgreSql", storageLogLevel);
        configureServices?.Invoke(builder.Services);
        return new CommandContext(builder.Build(), parseResult);
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();
}
