using Microsoft.EntityFrameworkCore.Migrations;

namespace AiPlatform.UsageApi.Data.Migrations;

/// <summary>
/// What the ledger knows of a request the Gateway passes through to any OpenAI path (images, audio, files, batches…):
/// the path it was sent to (for every request, so records say which endpoint they were), and the bytes of the request
/// body forwarded and of the response body relayed (for pass-through requests only).
/// </summary>
public partial class PathAndBodyBytes : Migration
{
    // Nullable columns without a default: Postgres adds them to the partitioned table and every partition without
    // rewriting a row, and existing records read as "not known". bigint, as a file upload can exceed 2 GiB. No index
    // on path: like target, it is a filter applied within a time range, which the time indexes already narrow.
    private const string UpSql = """
        ALTER TABLE usage_records
            ADD COLUMN path text,
            ADD COLUMN request_bytes bigint,
            ADD COLUMN response_bytes bigint;
        """;

    /// <inheritdoc />
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(UpSql);

    /// <inheritdoc />
    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("ALTER TABLE usage_records DROP COLUMN path, DROP COLUMN request_bytes, DROP COLUMN response_bytes;");
}
