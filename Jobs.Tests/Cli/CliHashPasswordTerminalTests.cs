using System.Diagnostics;
using System.Text;
using Jobs.Tests.EndToEnd;
using Microsoft.AspNetCore.Identity;

namespace Jobs.Tests.Cli;

/// <summary>
/// <c>hash-password</c> at a terminal: the process runs under <c>script</c> (util-linux), which gives it a pseudo-terminal,
/// and the test types only after each prompt has appeared, as a person would.
/// </summary>
[TestFixture]
public sealed class CliHashPasswordTerminalTests
{
    private const string Script = "/usr/bin/script";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Test]
    public async Task HashPassword_AsksTwiceWithoutEcho_WhenStandardInputIsATerminal()
    {
        await using var terminal = Terminal.Start();

        await terminal.WaitForAsync("Password: ");
        await terminal.TypeAsync("tr0ub4dor&3\r");
        await terminal.WaitForAsync("Repeat the password: ");
        await terminal.TypeAsync("tr0ub4dor&3\r");
        var exitCode = await terminal.WaitForExitAsync();

        Assert.That(exitCode, Is.Zero, terminal.Screen);
        Assert.That(terminal.Screen, Does.Not.Contain("tr0ub4dor"), "the password is not echoed");
        var hash = terminal.Screen.Split('\n').Select(l => l.Trim()).Last(l => l.Length > 0);
        Assert.That(new PasswordHasher<string>().VerifyHashedPassword(string.Empty, hash, "tr0ub4dor&3"), Is.EqualTo(PasswordVerificationResult.Success), terminal.Screen);
    }

    [Test]
    public async Task HashPassword_ExitsWith1AndHashesNothing_WhenTheRepeatedPasswordDiffers()
    {
        await using var terminal = Terminal.Start();

        await terminal.WaitForAsync("Password: ");
        await terminal.TypeAsync("first\r");
        await terminal.WaitForAsync("Repeat the password: ");
        await terminal.TypeAsync("second\r");
        var exitCode = await terminal.WaitForExitAsync();

        Assert.That(exitCode, Is.EqualTo(1), terminal.Screen);
        Assert.That(terminal.Screen, Does.Contain("do not match"));
        Assert.That(terminal.Screen, Does.Not.Contain("AQAAAA"), "no hash");
    }

    private sealed class Terminal : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _screen = new();
        private readonly Task _reader;

        private Terminal(Process process)
        {
            _process = process;
            _reader = Task.Run(ReadAsync);
        }

        public string Screen
        {
            get
            {
                lock (_screen)
                {
                    return _screen.ToString();
                }
            }
        }

        public static Terminal Start()
        {
            if (!File.Exists(Script))
            {
                Assert.Ignore($"{Script} (util-linux) is missing: no pseudo-terminal for the test.");
            }

            var dll = Binaries.JobsServer;
            var info = new ProcessStartInfo(Script)
            {
                WorkingDirectory = Path.GetDirectoryName(dll)!,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[] { "-qec", $"'{CliProcess.DotNet()}' '{dll}' hash-password", "/dev/null" })
            {
                info.ArgumentList.Add(arg);
            }

            info.Environment["TERM"] = "xterm";
            return new Terminal(Process.Start(info) ?? throw new InvalidOperationException("script did not start."));
        }

        public async Task WaitForAsync(string text)
        {
            var deadline = DateTimeOffset.UtcNow + Patience;
            while (!Screen.Contains(text, StringComparison.Ordinal))
            {
                if (DateTimeOffset.UtcNow > deadline || _process.HasExited)
                {
                    Assert.Fail($"'{text}' did not appear on the terminal; it shows:{Environment.NewLine}{Screen}");
                }

                await Task.Delay(50);
            }
        }

        public async Task TypeAsync(string keys)
        {
            await _process.StandardInput.WriteAsync(keys);
            await _process.StandardInput.FlushAsync();
        }

        public async Task<int> WaitForExitAsync()
        {
            using var deadline = new CancellationTokenSource(Patience);
            await _process.WaitForExitAsync(deadline.Token);
            await _reader;
            return _process.ExitCode;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }

        private async Task ReadAsync()
        {
            var buffer = new char[256];
            int read;
            while ((read = await _process.StandardOutput.ReadAsync(buffer)) > 0)
            {
                lock (_screen)
                {
                    _screen.Append(buffer, 0, read);
                }
            }
        }
    }
}
