using System.Net;
using Jobs.States;

namespace Jobs.Tests.Dashboard;

[TestFixture]
public sealed class DashboardJobActionsTests
{
    private DashboardTestHost _host = null!;

    [SetUp]
    public async Task SetUp() => _host = await DashboardTestHost.StartAsync();

    [TearDown]
    public async Task TearDown() => await _host.DisposeAsync();

    [Test]
    public async Task Requeue_RetriesTheFailedJob_WhenTheRowButtonIsClicked()
    {
        var id = await _host.CreateFailedAsync();

        var response = await _host.PostFormAsync("/jobs/actions/jobs/requeue", ("id", id), ("expected", "Failed"), ("returnUrl", "/jobs/failed"));

        Assert.That(await _host.FlashAfterAsync(response), Is.EqualTo($"Job {id} requeued."));
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo("/jobs/failed"));
        Assert.That(await _host.StateOfAsync(id), Is.EqualTo(EnqueuedState.StateName));
    }

    [Test]
    public async Task Requeue_ReportsTheNewState_WhenTheJobChangedMeanwhile()
    {
        var id = await _host.CreateFailedAsync();
        await _host.Jobs.DeleteAsync(id);

        var response = await _host.PostFormAsync("/jobs/actions/jobs/requeue", ("id", id), ("expected", "Failed"));

        Assert.That(await _host.FlashAfterAsync(response), Is.EqualTo($"Job {id} was not requeued: it is now Deleted."));
        Assert.That(await _host.StateOfAsync(id), Is.EqualTo(DeletedState.StateName));
    }

    [Test]
    public async Task Requeue_RequeuesEverySelectedJobAndReportsTheRest_WhenManyAreSelected()
    {
        var first = await _host.CreateFailedAsync();
        var second = await _host.CreateFailedAsync();
        var moved = await _host.CreateFailedAsync();
        await _host.Jobs.DeleteAsync(moved);

        var response = await _host.PostFormAsync("/jobs/actions/jobs/requeue", ("ids", first), ("ids", second), ("ids", moved), ("expected", "Failed"));

        var flash = await _host.FlashAfterAsync(response);
        Assert.That(flash, Does.StartWith("2 of 3 jobs requeued."));
        Assert.That(flash, Does.Contain($"Job {moved} was not requeued: it is now Deleted."));
        Assert.That(await _host.StateOfAsync(first), Is.EqualTo(EnqueuedState.StateName));
        Assert.That(await _host.StateOfAsync(second), Is.EqualTo(EnqueuedState.StateName));
    }

    [Test]
    public async Task Delete_DeletesEverySelectedJob_WhenManyAreSelected()
    {
        var first = await _host.CreateFailedAsync();
        var second = await _host.CreateFailedAsync();

        var response = await _host.PostFormAsync("/jobs/actions/jobs/delete", ("ids", first), ("ids", second), ("expected", "Failed"));

        Assert.That(await _host.FlashAfterAsync(response), Is.EqualTo("2 of 2 jobs deleted."));
        Assert.That(await _host.StateOfAsync(first), Is.EqualTo(DeletedState.StateName));
        Assert.That(await _host.StateOfAsync(second), Is.EqualTo(DeletedState.StateName));
    }

    [Test]
    public async Task EnqueueNow_EnqueuesTheScheduledJob_WhenPosted()
    {
        var id = await _host.Jobs.ScheduleAsync<DashboardSampleJob>(j => j.Run("later"), TimeSpan.FromDays(1));

        var response = await _host.PostFormAsync("/jobs/actions/jobs/enqueue", ("id", id), ("expected", "Scheduled"));

        Assert.That(await _host.FlashAfterAsync(response), Is.EqualTo($"Job {id} enqueued."));
        Assert.That(await _host.StateOfAsync(id), Is.EqualTo(EnqueuedState.StateName));
    }

    [Test]
    public async Task EnqueueNow_ChangesNothing_WhenTheJobIsNotScheduledOrAwaiting()
    {
        var id = await _host.CreateFailedAsync();

        var response = await _host.PostFormAsync("/jobs/actions/jobs/enqueue", ("id", id));

        Assert.That(await _host.FlashAfterAsync(response), Does.Contain("not Scheduled or Awaiting"));
        Assert.That(await _host.StateOfAsync(id), Is.EqualTo(FailedState.StateName));
    }

    [TestCase("a b")]
    [TestCase("<x>")]
    public async Task Requeue_ReportsAClearMessage_WhenTheIdIsMalformed(string id)
    {
        var response = await _host.PostFormAsync("/jobs/actions/jobs/requeue", ("id", id));

        Assert.That(await _host.FlashAfterAsync(response), Does.Contain("is not a valid job id: nothing was changed"));
    }

    [Test]
    public async Task Requeue_ChangesNothing_WhenMoreJobsThanTheLimitAreSelected()
    {
        var id = await _host.CreateFailedAsync();
        var fields = Enumerable.Range(1, 501).Select(i => ("ids", i == 1 ? id : (100000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();

        var response = await _host.PostFormAsync("/jobs/actions/jobs/requeue", fields);

        Assert.That(await _host.FlashAfterAsync(response), Does.StartWith("At most 500 jobs can be changed at once"));
        Assert.That(await _host.StateOfAsync(id), Is.EqualTo(FailedState.StateName));
    }

    [Test]
    public async Task Requeue_ReportsNoSelection_WhenNothingIsTicked()
    {
        var response = await _host.PostFormAsync("/jobs/actions/jobs/requeue", ("expected", "Failed"));

        Assert.That(await _host.FlashAfterAsync(response), Is.EqualTo("No job was selected: nothing was changed."));
    }

    [Test]
    public async Task Requeue_ReportsThatTheJobDoesNotExist_WhenTheIdIsUnknown()
    {
        var response = await _host.PostFormAsync("/jobs/actions/jobs/requeue", ("id", "987654"));

        Assert.That(await _host.FlashAfterAsync(response), Is.EqualTo("Job 987654 was not requeued: it does not exist."));
    }

    [Test]
    public async Task Requeue_ChangesNothing_WhenTheAntiforgeryTokenIsMissing()
    {
        var id = await _host.CreateFailedAsync();
        await _host.GetTokenAsync(); // the cookie alone is not enough

        var response = await _host.Client.PostAsync("/jobs/actions/jobs/requeue", new FormUrlEncodedContent([new("id", id)]));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("nothing was changed"));
        Assert.That(await _host.StateOfAsync(id), Is.EqualTo(FailedState.StateName));
    }

    [Test]
    public async Task Requeue_ChangesNothing_WhenTheTokenBelongsToAnotherClient()
    {
        var id = await _host.CreateFailedAsync();
        var token = await _host.GetTokenAsync();
        using var stranger = _host.CreateClient();

        var response = await stranger.PostAsync("/jobs/actions/jobs/requeue", new FormUrlEncodedContent([new("id", id), new("__RequestVerificationToken", token)]));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await _host.StateOfAsync(id), Is.EqualTo(FailedState.StateName));
    }

    [Test]
    public async Task Requeue_RedirectsToTheOverview_WhenTheReturnUrlLeavesTheDashboard()
    {
        var id = await _host.CreateFailedAsync();

        var response = await _host.PostFormAsync("/jobs/actions/jobs/requeue", ("id", id), ("returnUrl", "https://evil.example/"));

        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo("/jobs/"));
    }

    [Test]
    public async Task FailedPage_OffersRetryAndBulkButtons_WhenTheUserIsAdmin()
    {
        await _host.CreateFailedAsync();

        var html = await _host.Client.GetStringAsync("/jobs/failed");

        Assert.That(html, Does.Contain("data-select-all"));
        Assert.That(html, Does.Contain("Retry selected"));
        Assert.That(html, Does.Contain("Delete selected"));
        Assert.That(html, Does.Contain(">Retry</button>"));
    }
}
