using Microsoft.AspNetCore.Http;

namespace Jobs.Dashboard.Actions;

/// <summary>What an action did, in words for the operator, and as a status for the JSON API.</summary>
internal sealed record ActionOutcome(bool Changed, string Message, int StatusCode = StatusCodes.Status200OK)
{
    public static ActionOutcome Done(string message) => new(true, message);

    public static ActionOutcome BadRequest(string message) => new(false, message, StatusCodes.Status400BadRequest);

    public static ActionOutcome NotFound(string message) => new(false, message, StatusCodes.Status404NotFound);

    public static ActionOutcome Conflict(string message) => new(false, message, StatusCodes.Status409Conflict);
}
