using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace AiPlatform.UsageApi.Data;

/// <summary>
/// The context for <c>dotnet ef migrations add</c>, which needs the model but no database: without this factory the
/// tool would build the whole application, which refuses to start without its connection strings and master key.
/// </summary>
public sealed class UsageDbContextDesignTimeFactory : IDesignTimeDbContextFactory<UsageDbContext>
{
    public UsageDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<UsageDbContext>().UseNpgsql().Options);
}
