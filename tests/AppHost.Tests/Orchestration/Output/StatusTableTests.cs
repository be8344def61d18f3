using AiPlatform.AppHost.Orchestration.Output;

namespace AiPlatform.AppHost.Tests.Orchestration.Output;

public class StatusTableTests
{
    [Fact]
    public void Format_Rows_AlignsColumnsUnderTheHeader()
    {
        var table = StatusTable.Format(
        [
            new StatusRow("cache", "running", "127.0.0.1:6380", 101),
            new StatusRow("usagedb", "ready", "127.0.0.1:5433/usagedb", null),
        ]);

        Assert.Equal(
            string.Join('\n',
                "  RESOURCE   STATE     ADDRESS                  PID",
                "  cache      running   127.0.0.1:6380           101",
                "  usagedb    ready     127.0.0.1:5433/usagedb   -"),
            table);
    }
}
