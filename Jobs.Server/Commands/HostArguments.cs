using System.CommandLine;

namespace Jobs.Server.Commands;

/// <summary>
/// The tokens of a command line that are not the command's own: configuration for the host, in the forms ASP.NET Core
/// reads from the command line (<c>--Key=value</c>, <c>--Key value</c>, <c>/Key value</c>, <c>Key=value</c>), such as
/// <c>--urls</c>, <c>--environment</c> or <c>--ConnectionStrings:Jobs=…</c>. Anything else is a usage error, so a
/// misspelt command is reported instead of starting the server.
/// </summary>
internal static class HostArguments
{
    /// <exception cref="UsageException">A token is neither the command's own nor a configuration setting.</exception>
    public static string[] Of(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var tokens = parseResult.UnmatchedTokens;
        var isRoot = parseResult.CommandResult.Command is RootCommand;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.StartsWith('-') && !token.StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"Unknown option '{token}'.");
            }

            if (token.Contains('=', StringComparison.Ordinal))
            {
                continue;
            }

            if (IsKey(token))
            {
                if (i + 1 < tokens.Count)
                {
                    i++; // its value
                    continue;
                }

                throw new UsageException(
                    $"Unknown option '{token}'. Configuration settings on the command line need a value: {token}=value.");
            }

            throw new UsageException(isRoot
                ? $"'{token}' is not a command."
                : $"Unexpected argument '{token}'.");
        }

        return [.. tokens];
    }

    private static bool IsKey(string token) =>
        (token.StartsWith("--", StringComparison.Ordinal) && token.Length > 2) || (token.StartsWith('/') && token.Length > 1);
}
