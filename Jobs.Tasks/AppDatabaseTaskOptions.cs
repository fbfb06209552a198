using Microsoft.Extensions.Configuration;

namespace Jobs.Tasks;

/// <summary>Options of a task that works on the application database: its connection string comes first.</summary>
public abstract class AppDatabaseTaskOptions : TaskOptions
{
    private protected AppDatabaseTaskOptions(string section)
        : base(section)
    {
    }

    /// <summary>Npgsql connection string of the application database. Default: <c>ConnectionStrings:App</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Applies the task's section to this instance, falling back to <c>ConnectionStrings:App</c> for the connection string.</summary>
    public override void BindFrom(IConfiguration configuration)
    {
        base.BindFrom(configuration);
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            ConnectionString = configuration.GetConnectionString("App");
        }
    }

    private protected override void AddSharedProblems(List<string> problems) =>
        OptionChecks.ConnectionString(problems, Section, ConnectionString);
}
