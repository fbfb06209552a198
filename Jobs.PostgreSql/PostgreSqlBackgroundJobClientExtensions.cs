using Npgsql;

namespace Jobs.PostgreSql;

/// <summary>Transactional enqueue: <c>client.InTransaction(tx).Enqueue(...)</c> creates jobs that exist only if <c>tx</c> commits.</summary>
public static class PostgreSqlBackgroundJobClientExtensions
{
    /// <summary>
    /// The same client (filters and services) writing new jobs inside <paramref name="transaction"/>.
    /// Requires a <see cref="BackgroundJobClient"/> over a <see cref="PostgreSqlJobStorage"/>.
    /// </summary>
    public static IBackgroundJobClient InTransaction(this IBackgroundJobClient client, NpgsqlTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(transaction);
        if (client is not BackgroundJobClient jobClient)
        {
            throw new ArgumentException(
                $"InTransaction needs a {nameof(BackgroundJobClient)}, but the client is a {client.GetType().Name}.",
                nameof(client));
        }

        if (jobClient.Storage is not PostgreSqlJobStorage storage)
        {
            throw new ArgumentException(
                $"InTransaction needs a client over a {nameof(PostgreSqlJobStorage)}, but its storage is a {jobClient.Storage.GetType().Name}.",
                nameof(client));
        }

        return jobClient.WithStorage(storage.InTransaction(transaction));
    }
}
