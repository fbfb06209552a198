using Jobs.Server.Commands;

// No command, or `run`: the web host of ServerHost.cs. The other commands: Commands/.
return await JobsCommandLine.InvokeAsync(args);

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
