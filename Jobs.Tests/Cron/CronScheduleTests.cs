namespace Jobs.Tests.Cron;

public sealed class CronScheduleTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    // Spring forward ------------------------------------------------------------------------------

    [Test]
    public void GetNextOccurrence_RunsAtThreeLocal_WhenDailyTimeFallsInBerlinSpringGap()
    {
        // 2026-03-29: clocks jump from 02:00 CET to 03:00 CEST; 02:30 does not exist that day.
        var schedule = CronSchedule.Parse("30 2 * * *");

        var onGapDay = schedule.GetNextOccurrence(At("2026-03-28T02:30:00+01:00"), Berlin);
        var dayAfter = schedule.GetNextOccurrence(onGapDay!.Value, Berlin);

        Assert.Multiple(() =>
        {
            Assert.That(onGapDay, Is.EqualTo(At("2026-03-29T03:00:00+02:00")));
            Assert.That(onGapDay!.Value.Offset, Is.EqualTo(TimeSpan.FromHours(2)));
            Assert.That(dayAfter, Is.EqualTo(At("2026-03-30T02:30:00+02:00")));
        });
    }

    [Test]
    public void GetNextOccurrence_RunsAtThreeLocal_WhenDailyTimeFallsInNewYorkSpringGap()
    {
        // 2026-03-08: clocks jump from 02:00 EST to 03:00 EDT.
        var schedule = CronSchedule.Parse("30 2 * * *");

        var dayBefore = schedule.GetNextOccurrence(At("2026-03-06T12:00:00-05:00"), NewYork);
        var onGapDay = schedule.GetNextOccurrence(dayBefore!.Value, NewYork);
        var dayAfter = schedule.GetNextOccurrence(onGapDay!.Value, NewYork);

        Assert.Multiple(() =>
        {
            Assert.That(dayBefore, Is.EqualTo(At("2026-03-07T02:30:00-05:00")));
            Assert.That(onGapDay, Is.EqualTo(At("2026-03-08T03:00:00-04:00")));
            Assert.That(dayAfter, Is.EqualTo(At("2026-03-09T02:30:00-04:00")));
        });
    }

    [Test]
    public void GetNextOccurrence_KeepsRealHours_WhenHourlyCrossesBerlinSpringGap()
    {
        var occurrences = Occurrences("0 * * * *", Berlin, At("2026-03-29T00:30:00+01:00"), 4);

        Assert.That(occurrences, Is.EqualTo(new[]
        {
            At("2026-03-29T01:00:00+01:00"),
            At("2026-03-29T03:00:00+02:00"), // 02:00 does not exist: one real hour after 01:00 CET
            At("2026-03-29T04:00:00+02:00"),
            At("2026-03-29T05:00:00+02:00"),
        }));
    }

    [Test]
    public void GetNextOccurrence_FiresEveryRealMinuteOnce_WhenMinutelyCrossesBerlinSpringGap()
    {
        var occurrences = Occurrences("* * * * *", Berlin, At("2026-03-29T00:57:00Z"), 6);

        Assert.Multiple(() =>
        {
            Assert.That(occurrences[0], Is.EqualTo(At("2026-03-29T01:58:00+01:00")));
            Assert.That(occurrences[2], Is.EqualTo(At("2026-03-29T03:00:00+02:00")));
            Assert.That(Gaps(occurrences), Is.All.EqualTo(TimeSpan.FromMinutes(1)));
        });
    }

    [Test]
    public void GetNextOccurrence_CollapsesGapOccurrencesIntoOne_WhenSeveralFallInTheGap()
    {
        // 02:00, 02:15, 02:30, 02:45 and 03:00 all become the single run at 03:00 CEST.
        var occurrences = Occurrences("*/15 2-3 * * *", Berlin, At("2026-03-29T00:00:00+01:00"), 3);

        Assert.That(occurrences, Is.EqualTo(new[]
        {
            At("2026-03-29T03:00:00+02:00"),
            At("2026-03-29T03:15:00+02:00"),
            At("2026-03-29T03:30:00+02:00"),
        }));
    }

    [Test]
    public void GetNextOccurrence_RunsAtGapEnd_WhenSixFieldEveryFiveSecondsCrossesBerlinSpringGap()
    {
        var occurrences = Occurrences("*/5 * * * * *", Berlin, At("2026-03-29T01:59:50+01:00"), 3);

        Assert.That(occurrences, Is.EqualTo(new[]
        {
            At("2026-03-29T01:59:55+01:00"),
            At("2026-03-29T03:00:00+02:00"),
            At("2026-03-29T03:00:05+02:00"),
        }));
    }

    // Fall back -----------------------------------------------------------------------------------

    [Test]
    public void GetNextOccurrence_RunsOnce_WhenDailyTimeRepeatsOnNewYorkFallBack()
    {
        // 2026-11-01: clocks go from 02:00 EDT back to 01:00 EST; 01:30 happens twice.
        var occurrences = Occurrences("30 1 * * *", NewYork, At("2026-10-31T01:30:00-04:00"), 2);

        Assert.That(occurrences, Is.EqualTo(new[]
        {
            At("2026-11-01T01:30:00-04:00"), // the first pass only
            At("2026-11-02T01:30:00-05:00"),
        }));
    }

    [Test]
    public void GetNextOccurrence_SkipsToNextDay_WhenAfterIsInSecondPassOfRepeatedHour()
    {
        var schedule = CronSchedule.Parse("30 1 * * *");

        var next = schedule.GetNextOccurrence(At("2026-11-01T01:10:00-05:00"), NewYork);

        Assert.That(next, Is.EqualTo(At("2026-11-02T01:30:00-05:00")));
    }

    [Test]
    public void GetNextOccurrence_RunsOnce_WhenDailyTimeRepeatsOnBerlinFallBack()
    {
        // 2026-10-25: clocks go from 03:00 CEST back to 02:00 CET; 02:30 happens twice.
        var occurrences = Occurrences("30 2 * * *", Berlin, At("2026-10-24T12:00:00+02:00"), 2);

        Assert.That(occurrences, Is.EqualTo(new[]
        {
            At("2026-10-25T02:30:00+02:00"),
            At("2026-10-26T02:30:00+01:00"),
        }));
    }

    [Test]
    public void GetNextOccurrence_FiresEveryRealHour_WhenHourlyCrossesNewYorkFallBack()
    {
        var occurrences = Occurrences("0 * * * *", NewYork, At("2026-11-01T00:30:00-04:00"), 3);

        Assert.That(occurrences, Is.EqualTo(new[]
        {
            At("2026-11-01T01:00:00-04:00"),
            At("2026-11-01T01:00:00-05:00"), // the repeated hour: same wall time, a different real hour
            At("2026-11-01T02:00:00-05:00"),
        }));
    }

    [Test]
    public void GetNextOccurrence_FiresEveryRealHour_WhenHourlyCrossesBerlinFallBack()
    {
        var occurrences = Occurrences("0 * * * *", Berlin, At("2026-10-25T01:30:00+02:00"), 3);

        Assert.That(occurrences, Is.EqualTo(new[]
        {
            At("2026-10-25T02:00:00+02:00"),
            At("2026-10-25T02:00:00+01:00"),
            At("2026-10-25T03:00:00+01:00"),
        }));
    }

    [Test]
    public void GetNextOccurrence_FiresEveryRealMinuteOnce_WhenMinutelyCrossesNewYorkFallBack()
    {
        // 04:59Z to 07:01Z spans the first pass (05:00–06:00Z) and the second (06:00–07:00Z).
        var from = At("2026-11-01T04:59:00Z");
        var until = At("2026-11-01T07:01:00Z");

        var occurrences = CronSchedule.Parse("* * * * *").GetOccurrences(from, until, NewYork).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(occurrences, Has.Count.EqualTo(122));
            Assert.That(occurrences, Is.Unique);
            Assert.That(Gaps(occurrences), Is.All.EqualTo(TimeSpan.FromMinutes(1)));
        });
    }

    [Test]
    public void GetNextOccurrence_FiresOnFirstPassOnly_WhenCronNamesTheRepeatedHour()
    {
        var from = At("2026-11-01T04:00:00Z");
        var until = At("2026-11-01T08:00:00Z");

        var occurrences = CronSchedule.Parse("*/15 1 * * *").GetOccurrences(from, until, NewYork).ToList();

        Assert.That(occurrences, Is.EqualTo(new[]
        {
            At("2026-11-01T01:00:00-04:00"),
            At("2026-11-01T01:15:00-04:00"),
            At("2026-11-01T01:30:00-04:00"),
            At("2026-11-01T01:45:00-04:00"),
        }));
    }

    [Test]
    public void GetNextOccurrence_FollowsRealTime_WhenSixFieldEveryFiveSecondsCrossesNewYorkFallBack()
    {
        var occurrences = Occurrences("*/5 * * * * *", NewYork, At("2026-11-01T01:59:50-04:00"), 3);

        Assert.That(occurrences, Is.EqualTo(new[]
        {
            At("2026-11-01T01:59:55-04:00"),
            At("2026-11-01T01:00:00-05:00"),
            At("2026-11-01T01:00:05-05:00"),
        }));
    }

    [Test]
    public void GetNextOccurrence_HandlesHalfHourShifts_WhenZoneIsLordHowe()
    {
        // Lord Howe Island moves its clocks by 30 minutes: 02:00 → 02:30 on 2026-10-04, 02:00 → 01:30 on 2026-04-05.
        var lordHowe = TimeZoneInfo.FindSystemTimeZoneById("Australia/Lord_Howe");

        var spring = CronSchedule.Parse("15 2 * * *").GetNextOccurrence(At("2026-10-03T12:00:00+10:30"), lordHowe);
        var fallBack = Occurrences("45 * * * *", lordHowe, At("2026-04-05T01:00:00+11:00"), 3);

        Assert.Multiple(() =>
        {
            Assert.That(spring, Is.EqualTo(At("2026-10-04T02:30:00+11:00")));
            Assert.That(fallBack, Is.EqualTo(new[]
            {
                At("2026-04-05T01:45:00+11:00"),
                At("2026-04-05T01:45:00+10:30"),
                At("2026-04-05T02:45:00+10:30"),
            }));
        });
    }

    [TestCase("Europe/Berlin")]
    [TestCase("America/New_York")]
    public void GetNextOccurrence_FiresEveryRealHourAllYear_WhenCronIsHourly(string zoneId)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var from = At("2026-01-01T00:30:00Z");

        var occurrences = CronSchedule.Parse("0 * * * *").GetOccurrences(from, from.AddYears(1), zone).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(occurrences, Has.Count.EqualTo(365 * 24));
            Assert.That(Gaps(occurrences), Is.All.EqualTo(TimeSpan.FromHours(1)));
        });
    }

    [TestCase("Europe/Berlin")]
    [TestCase("America/New_York")]
    public void GetNextOccurrence_FiresOncePerLocalDayAllYear_WhenDailyTimeMeetsBothTransitions(string zoneId)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var schedule = CronSchedule.Parse(zoneId == "Europe/Berlin" ? "30 2 * * *" : "30 1 * * *");
        var from = At("2026-01-01T12:00:00Z");

        var days = schedule.GetOccurrences(from, from.AddYears(1), zone).Select(o => DateOnly.FromDateTime(o.DateTime)).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(days, Has.Count.EqualTo(365));
            Assert.That(days, Is.Unique);
        });
    }

    // Plain behaviour -----------------------------------------------------------------------------

    [Test]
    public void GetNextOccurrence_UsesUtc_WhenNoZoneIsGiven()
    {
        var next = CronSchedule.Parse("0 9 * * *").GetNextOccurrence(At("2026-06-01T10:00:00+02:00"));

        Assert.Multiple(() =>
        {
            Assert.That(next, Is.EqualTo(At("2026-06-01T09:00:00Z"))); // 10:00+02:00 is 08:00 UTC
            Assert.That(next!.Value.Offset, Is.EqualTo(TimeSpan.Zero));
        });
    }

    [Test]
    public void GetNextOccurrence_IsStrictlyAfter_WhenAfterIsAnOccurrence()
    {
        var schedule = CronSchedule.Parse("*/10 * * * *");

        Assert.Multiple(() =>
        {
            Assert.That(schedule.GetNextOccurrence(At("2026-01-01T10:10:00Z")), Is.EqualTo(At("2026-01-01T10:20:00Z")));
            Assert.That(schedule.GetNextOccurrence(At("2026-01-01T10:09:59.5Z")), Is.EqualTo(At("2026-01-01T10:10:00Z")));
            Assert.That(schedule.GetNextOccurrence(At("2026-01-01T10:10:00.5Z")), Is.EqualTo(At("2026-01-01T10:20:00Z")));
        });
    }

    [Test]
    public void GetNextOccurrence_RunsEveryFiveSeconds_WhenSixFieldExpression()
    {
        var schedule = CronSchedule.Parse("*/5 * * * * *");

        var occurrences = Occurrences("*/5 * * * * *", TimeZoneInfo.Utc, At("2026-01-01T10:00:02Z"), 3);

        Assert.Multiple(() =>
        {
            Assert.That(schedule.IncludesSeconds, Is.True);
            Assert.That(occurrences, Is.EqualTo(new[] { At("2026-01-01T10:00:05Z"), At("2026-01-01T10:00:10Z"), At("2026-01-01T10:00:15Z") }));
        });
    }

    [TestCase("0 0 30 2 *")]
    [TestCase("0 0 31 4 *")]
    [TestCase("0 0 0 31 2 *")]
    public void GetNextOccurrence_ReturnsNull_WhenCronNeverFires(string expression)
    {
        Assert.That(CronSchedule.Parse(expression).GetNextOccurrence(At("2026-01-01T00:00:00Z"), Berlin), Is.Null);
    }

    [Test]
    public void GetNextOccurrence_FindsRareDay_WhenItIsYearsAway()
    {
        // 29 February that is also a Monday: day-of-month and day-of-week must both match.
        var next = CronSchedule.Parse("0 0 29 2 1").GetNextOccurrence(At("2026-01-01T00:00:00Z"));

        Assert.That(next, Is.EqualTo(At("2044-02-29T00:00:00Z")));
    }

    // Parsing -------------------------------------------------------------------------------------

    [Test]
    public void Parse_NormalizesWhitespace_WhenFieldsAreSeparatedByTabsOrSeveralSpaces()
    {
        Assert.That(CronSchedule.Parse("  0\t12  * * MON-FRI ").Expression, Is.EqualTo("0 12 * * MON-FRI"));
    }

    [TestCase("* * *", "3 field(s)")]
    [TestCase("* * * * * * *", "7 field(s)")]
    [TestCase("", "0 field(s)")]
    public void Parse_ThrowsNamingTheFieldCount_WhenFieldCountIsWrong(string expression, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => CronSchedule.Parse(expression));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Does.Contain($"'{expression}'"));
            Assert.That(ex.Message, Does.Contain(expected));
            Assert.That(ex.Message, Does.Contain("expected 5"));
        });
    }

    [TestCase("60 * * * *", "60")]
    [TestCase("* 24 * * *", "24")]
    [TestCase("0 0 * * 8", "8")]
    [TestCase("abc * * * *", "abc")]
    [TestCase("*/0 * * * *", "step")]
    [TestCase("30-10 * * * *", "backwards")]
    [TestCase("0 0 ? * *", "?")]
    public void Parse_ThrowsQuotingExpressionAndProblem_WhenAFieldIsInvalid(string expression, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => CronSchedule.Parse(expression));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Does.Contain($"'{expression}'"));
            Assert.That(ex.Message, Does.Contain(expected));
        });
    }

    [Test]
    public void TryParse_ReturnsFalseWithError_WhenExpressionIsInvalid()
    {
        var parsed = CronSchedule.TryParse("61 * * * *", out var schedule, out var error);

        Assert.Multiple(() =>
        {
            Assert.That(parsed, Is.False);
            Assert.That(schedule, Is.Null);
            Assert.That(error, Does.Contain("61"));
        });
    }

    private static DateTimeOffset At(string value) => DateTimeOffset.Parse(value, System.Globalization.CultureInfo.InvariantCulture);

    private static List<DateTimeOffset> Occurrences(string expression, TimeZoneInfo zone, DateTimeOffset after, int count)
    {
        var schedule = CronSchedule.Parse(expression);
        var result = new List<DateTimeOffset>();
        var current = after;
        while (result.Count < count && schedule.GetNextOccurrence(current, zone) is { } next)
        {
            result.Add(next);
            current = next;
        }

        return result;
    }

    private static IEnumerable<TimeSpan> Gaps(IReadOnlyList<DateTimeOffset> occurrences) =>
        occurrences.Zip(occurrences.Skip(1), (a, b) => b - a);
}
