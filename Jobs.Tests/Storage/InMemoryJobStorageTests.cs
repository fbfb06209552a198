using Jobs.Storage;
using Jobs.Storage.InMemory;

namespace Jobs.Tests.Storage;

public sealed class InMemoryJobStorageTests : JobStorageContractTests
{
    protected override async Task<IJobStorage> CreateStorageAsync(TimeProvider time)
    {
        var storage = new InMemoryJobStorage(timeProvider: time);
        await storage.InitializeAsync(default);
        return storage;
    }
}
