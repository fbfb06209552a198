using System.CommandLine;
using System.Text;
using Microsoft.AspNetCore.Identity;

namespace Jobs.Server.Commands;

/// <summary>
/// <c>hash-password</c>: reads a password from standard input (never from the arguments, so it stays out of the shell's
/// history; without echo at a terminal, asked twice) and prints its hash in the format of ASP.NET Core Identity's
/// <see cref="PasswordHasher{TUser}"/> (version 3: PBKDF2 with HMAC-SHA512, random salt), which verifies it.
/// </summary>
internal static class HashPasswordCommand
{
    public static Command Create()
    {
        var command = new Command(
            "hash-password",
            "Reads a password from standard input (typed without echo at a terminal, or piped) and prints its ASP.NET Core Identity hash (PasswordHasher, v3).")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        if (parseResult.UnmatchedTokens.Count > 0)
        {
            // Not echoed: it may well be the password.
            throw new UsageException("hash-password takes no arguments: it reads the password from standard input, so the password stays out of the shell's history.");
        }

        var password = Console.IsInputRedirected ? await Console.In.ReadLineAsync(cancellationToken) : ReadFromTerminal();
        if (string.IsNullOrEmpty(password))
        {
            throw new CommandException(
                "No password was given: type it at the prompt, or pipe it to standard input (printf '%s' \"$PASSWORD\" | Jobs.Server hash-password).");
        }

        var hash = new PasswordHasher<string>().HashPassword(string.Empty, password);
        await parseResult.InvocationConfiguration.Output.WriteLineAsync(hash);
        return ExitCodes.Success;
    }

    private static string ReadFromTerminal()
    {
        var password = Prompt("Password: ");
        if (password.Length > 0 && Prompt("Repeat the password: ") != password)
        {
            throw new CommandException("The passwords do not match; nothing was hashed.");
        }

        return password;
    }

    private static string Prompt(string prompt)
    {
        // Asking for a key switches the terminal to reading without echo before the prompt shows, so nothing typed
        // after it appears on the screen; what was typed ahead is dropped, as getpass(3) does.
        while (Console.KeyAvailable)
        {
            Console.ReadKey(intercept: true);
        }

        Console.Error.Write(prompt);
        var text = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.Error.WriteLine();
                return text.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0)
                {
                    text.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }
    }
}
