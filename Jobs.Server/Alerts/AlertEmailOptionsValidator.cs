using System.Net.Mail;
using Jobs.States;
using Microsoft.Extensions.Options;

namespace Jobs.Server.Alerts;

/// <summary>Checks <c>Alerts:Email</c> at start when alerts are enabled, naming the key to fix.</summary>
internal sealed class AlertEmailOptionsValidator : IValidateOptions<AlertEmailOptions>
{
    public ValidateOptionsResult Validate(string? name, AlertEmailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Host))
        {
            errors.Add("Alerts:Email:Host is required when alerts are enabled (the SMTP server's host name).");
        }

        if (options.Port is < 1 or > 65535)
        {
            errors.Add($"Alerts:Email:Port must be from 1 to 65535, was {options.Port}.");
        }

        if (!Enum.IsDefined(options.TlsMode))
        {
            errors.Add($"Alerts:Email:TlsMode must be None or StartTls, was {options.TlsMode}.");
        }

        if (!string.IsNullOrEmpty(options.User) && string.IsNullOrEmpty(options.Password))
        {
            errors.Add("Alerts:Email:Password is required when Alerts:Email:User is set.");
        }

        if (string.IsNullOrWhiteSpace(options.From))
        {
            errors.Add("Alerts:Email:From is required when alerts are enabled (the sender address).");
        }
        else if (!IsAddress(options.From))
        {
            errors.Add($"Alerts:Email:From is not an e-mail address: '{options.From}'.");
        }

        if (options.To is null || options.To.Count == 0 || options.To.All(string.IsNullOrWhiteSpace))
        {
            errors.Add("Alerts:Email:To must list at least one recipient address.");
        }
        else
        {
            errors.AddRange(options.To.Where(to => !IsAddress(to)).Select(to => $"Alerts:Email:To holds something that is not an e-mail address: '{to}'."));
        }

        if (options.Window <= TimeSpan.Zero)
        {
            errors.Add($"Alerts:Email:Window must be positive, was {options.Window}.");
        }

        if (string.IsNullOrWhiteSpace(options.DashboardBaseUrl))
        {
            errors.Add("Alerts:Email:DashboardBaseUrl is required when alerts are enabled (the dashboard's address as operators reach it, e.g. http://host:5080/jobs).");
        }
        else if (!Uri.TryCreate(options.DashboardBaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"Alerts:Email:DashboardBaseUrl must be an absolute http or https address, was '{options.DashboardBaseUrl}'.");
        }

        try
        {
            QueueNames.Validate(options.Queue);
        }
        catch (ArgumentException ex)
        {
            errors.Add($"Alerts:Email:Queue: {ex.Message}");
        }

        if (options.SendTimeout <= TimeSpan.Zero)
        {
            errors.Add($"Alerts:Email:SendTimeout must be positive, was {options.SendTimeout}.");
        }

        if (options.SendRetries < 0)
        {
            errors.Add($"Alerts:Email:SendRetries must not be negative, was {options.SendRetries}.");
        }

        if (options.SendRetryDelay <= TimeSpan.Zero)
        {
            errors.Add($"Alerts:Email:SendRetryDelay must be positive, was {options.SendRetryDelay}.");
        }

        if (options.CircuitBreakDuration < TimeSpan.FromMilliseconds(500))
        {
            errors.Add($"Alerts:Email:CircuitBreakDuration must be at least 500 ms, was {options.CircuitBreakDuration}.");
        }

        if (options.RetryAttempts < 0)
        {
            errors.Add($"Alerts:Email:RetryAttempts must not be negative, was {options.RetryAttempts}.");
        }

        if (options.RetryDelaysInSeconds.Any(d => d < 1))
        {
            errors.Add("Alerts:Email:RetryDelaysInSeconds must hold delays of at least 1 second.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsAddress(string? value) =>
        !string.IsNullOrWhiteSpace(value) && MailAddress.TryCreate(value, out _);
}
