using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.Dashboard;

/// <summary><c>services.AddJobsDashboard(configuration)</c>: the options from <c>Jobs:Dashboard</c>, antiforgery and authorization.</summary>
public static class JobsDashboardServiceCollectionExtensions
{
    public static IServiceCollection AddJobsDashboard(this IServiceCollection services, IConfiguration? configuration = null, Action<JobsDashboardOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<JobsDashboardOptions>();
        if (configuration is not null)
        {
            builder.Bind(configuration.GetSection(JobsDashboardOptions.SectionName));
        }

        if (configure is not null)
        {
            builder.Configure(configure);
        }

        builder.Validate(o =>
        {
            o.Validate();
            return true;
        }).ValidateOnStart();
        services.AddAntiforgery();
        services.AddAuthorization();
        return services;
    }
}
