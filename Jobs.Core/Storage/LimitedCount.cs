using System.Globalization;

namespace Jobs.Storage;

/// <summary>
/// A count that stops at a limit, so that counting stays cheap however many rows match: exact while
/// <see cref="IsLowerBound"/> is false; otherwise more than <see cref="Value"/> (the limit) match.
/// </summary>
/// <param name="Value">How many match, or the limit when more do.</param>
/// <param name="IsLowerBound">True when counting stopped at the limit: more than <paramref name="Value"/> match.</param>
public readonly record struct LimitedCount(long Value, bool IsLowerBound)
{
    /// <summary>The count of <paramref name="matches"/> under <paramref name="limit"/>: <paramref name="matches"/> may be anything from 0 up.</summary>
    public static LimitedCount Of(long matches, long limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(matches);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return matches > limit ? new LimitedCount(limit, true) : new LimitedCount(matches, false);
    }

    /// <summary>"1,234", or "10,000+" when more than 10,000 match.</summary>
    public override string ToString() =>
        Value.ToString("N0", CultureInfo.InvariantCulture) + (IsLowerBound ? "+" : string.Empty);
}
