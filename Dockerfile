# Jobs.Server: the job server with its dashboard (/jobs), health endpoints (/health, /health/ready) and
# Prometheus metrics (/metrics). Build from the repository root:  docker build -t jobs-server .

ARG DOTNET_VERSION=10.0

# --- build: restore on the project files alone (a cached layer while only code changes), then publish ---
FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY Jobs.Core/Jobs.Core.csproj Jobs.Core/
COPY Jobs.PostgreSql/Jobs.PostgreSql.csproj Jobs.PostgreSql/
COPY Jobs.Dashboard/Jobs.Dashboard.csproj Jobs.Dashboard/
COPY Jobs.Tasks/Jobs.Tasks.csproj Jobs.Tasks/
COPY Jobs.Server/Jobs.Server.csproj Jobs.Server/
RUN dotnet restore Jobs.Server/Jobs.Server.csproj
COPY Jobs.Core/ Jobs.Core/
COPY Jobs.PostgreSql/ Jobs.PostgreSql/
COPY Jobs.Dashboard/ Jobs.Dashboard/
COPY Jobs.Tasks/ Jobs.Tasks/
COPY Jobs.Server/ Jobs.Server/
RUN dotnet publish Jobs.Server/Jobs.Server.csproj --configuration Release --no-restore --output /app -p:UseAppHost=false

# --- runtime: ASP.NET Core runtime only, a non-root user, curl for the health check ---
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS runtime
# The aspnet image has no HTTP client; the HEALTHCHECK below needs one.
RUN apt-get update \
    && apt-get install --yes --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_URLS=http://+:8080 \
    DOTNET_NOLOGO=1 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
EXPOSE 8080
# The image's unprivileged "app" user (uid 1654); the files above stay owned by root, read-only for it.
USER 1654
# Liveness only: /health/ready also fails while PostgreSQL is away, and restarting the server would not help then.
# curl exits 22 on an HTTP error; Docker wants 1 for unhealthy. The server answers within a few seconds of starting.
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
    CMD curl --fail --silent --show-error --output /dev/null http://localhost:8080/health || exit 1
ENTRYPOINT ["dotnet", "Jobs.Server.dll"]
