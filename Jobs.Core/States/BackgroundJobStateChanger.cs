using Jobs.Filters;
using Jobs.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Jobs.States;

/// <summary>
/// The state machine: elect-state filters choose the final state, the storage applies every change
/// of a batch as a compare-and-set in one round trip, then apply-state filters see what was stored.
/// </summary>
public sealed partial class BackgroundJobStateChanger
{
    private readonly IJobStorage _storage;
    private readonly IJobFilterProvider _filters;
    private readonly IServiceProvider? _services;
    private readonly ILogger _logger;

    public BackgroundJobStateChanger(IJobStorage storage, IJobFilterProvider filters, IServiceProvider? services = null, ILogger<BackgroundJobStateChanger>? logger = null)
    {
        _storage = storage;
        _filters = filters;
        _services = services;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public async Task<bool> ChangeStateAsync(StateChangeRequest request, CancellationToken cancellationToken)
    {
        var results = await ChangeStatesAsync([request], cancellationToken);
        return results[0];
    }

    /// <summary>Returns, per request, whether the elected state was stored.</summary>
    public async Task<IReadOnlyList<bool>> ChangeStatesAsync(IReadOnlyList<StateChangeRequest> requests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var elected = new (StateChangeRequest Request, IState State, int RetryCount, IReadOnlyList<object> Filters)[requests.Count];
        var changes = new StateChange[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            var filters = _filters.GetFilters(request.Job);
            var context = new ElectStateContext(_storage, _services, request.JobId, request.Invocation, request.Job, request.CurrentState, request.CandidateState, request.RetryCount);
            foreach (var filter in filters.OfType<IElectStateFilter>())
            {
                await filter.OnStateElectionAsync(context);
            }

            elected[i] = (request, context.CandidateState, context.RetryCount, filters);
            changes[i] = new StateChange(request.JobId, context.CandidateState)
            {
                ExpectedStates = request.ExpectedStates,
                ExpectedServerId = request.ExpectedServerId,
                RetryCount = context.RetryCount != request.RetryCount ? context.RetryCount : null,
            };
        }

        var applied = await _storage.ChangeStatesAsync(changes, cancellationToken);
        for (var i = 0; i < elected.Length; i++)
        {
            if (!applied[i])
            {
                continue;
            }

            var (request, state, retryCount, filters) = elected[i];
            var context = new ApplyStateContext(_storage, _services, request.JobId, request.Invocation, request.Job, request.CurrentState, state, retryCount);
            foreach (var filter in filters.OfType<IApplyStateFilter>())
            {
                try
                {
                    await filter.OnStateUnappliedAsync(context);
                    await filter.OnStateAppliedAsync(context);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The state is stored; a failing observer must not make the change look failed.
                    LogApplyFilterFailed(_logger, ex, filter.GetType().Name, request.JobId, state.Name);
                }
            }
        }

        return applied;
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "Apply-state filter {Filter} failed for job {JobId} entering {State}")]
    private static partial void LogApplyFilterFailed(ILogger logger, Exception exception, string filter, string jobId, string state);
}
