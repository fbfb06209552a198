using Microsoft.Extensions.Options;

namespace Jobs.Server;

/// <summary>Validates <see cref="BackgroundJobServerOptions"/> when the host starts, naming the first invalid setting.</summary>
internal sealed class ServerOptionsValidator : IValidateOptions<BackgroundJobServerOptions>
{
    public ValidateOptionsResult Validate(string? name, BackgroundJobServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail($"Jobs:Server: {ex.Message}");
        }
    }
}
