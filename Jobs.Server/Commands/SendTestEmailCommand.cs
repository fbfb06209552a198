using System.CommandLine;
using System.Net.Mail;
using System.Net.Sockets;
using Jobs.Server.Alerts;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;

namespace Jobs.Server.Commands;

/// <summary>
/// <c>send-test-email [--to address]</c>: sends the alerts' test e-mail at once with the <c>Alerts:Email</c> settings and
/// reports success or the mail server's error. Works while alerts are still switched off, so the settings can be
/// checked before they are switched on; no retries, so an error is reported at once.
/// </summary>
internal static class SendTestEmailCommand
{
    public static Command Create()
    {
        var to = new Option<string?>("--to") { Description = "Sends to this address instead of Alerts:Email:To.", HelpName = "address" };
        to.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string?>();
            if (value is not null && !MailAddress.TryCreate(value, out _))
            {
                result.AddError($"--to: '{value}' is not an e-mail address.");
            }
        });
        var command = new Command("send-test-email", "Sends the alert test e-mail with the Alerts:Email settings and reports success or the SMTP error.")
        {
            to,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, parseResult.GetValue(to), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, string? to, CancellationToken cancellationToken)
    {
        var overrides = new Dictionary<string, string?> { [$"{AlertEmailOptions.SectionName}:Enabled"] = "true" };
        await using var context = CommandContext.Create(parseResult, overrides, services => services.PostConfigure<AlertEmailOptions>(options =>
        {
            options.SendRetries = 0;
            if (to is not null)
            {
                options.To = [to];
            }
        }));

        // Validates the settings, naming each key to fix.
        var options = context.Services.GetRequiredService<IOptions<AlertEmailOptions>>().Value;
        var tester = context.Services.GetRequiredService<AlertEmailTester>();
        var recipients = string.Join(", ", options.To.Where(t => !string.IsNullOrWhiteSpace(t)));
        try
        {
            var message = await tester.SendTestEmailAsync(cancellationToken);
            await context.Output.WriteLineAsync($"Sent \"{message.Subject}\" to {recipients} through {options.Host}:{options.Port}.");
            return ExitCodes.Success;
        }
        catch (Exception ex) when (ex is SmtpException or IOException or SocketException or TimeoutException or BrokenCircuitException or InvalidOperationException)
        {
            throw new CommandException(
                $"The test e-mail to {recipients} could not be sent through {options.Host}:{options.Port} ({options.TlsMode}): {CommandErrors.Chain(ex)}", ex);
        }
    }
}
