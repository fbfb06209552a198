using Microsoft.AspNetCore.Http;

namespace Jobs.Dashboard;

/// <summary>Where one dashboard is mounted and the options it runs with.</summary>
internal sealed record DashboardMount(PathString Prefix, JobsDashboardOptions Options);
