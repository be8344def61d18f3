using System.Text;
using AiPlatform.Gateway.PassThrough;

namespace AiPlatform.Gateway.Tests.PassThrough;

public sealed class FormModelFieldsTests
{
    private const string Form =
        "--b\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-1\r\n" +
        "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"model\"\r\n\r\n...\r\n" +
        "--b\r\ncontent-disposition: form-data; NAME=model\r\n\r\nother\r\n--b--\r\n";

    [Fact]
    public void Scan_WholeForm_CountsTheModelFieldsNotAFileNamedModel()
    {
        var fields = new FormModelFields();

        fields.Scan(Encoding.ASCII.GetBytes(Form));

        Assert.Equal(2, fields.Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(13)]
    public void Scan_FormInChunks_SameCountWhereverTheChunksSplitIt(int chunkSize)
    {
        var fields = new FormModelFields();
        var bytes = Encoding.ASCII.GetBytes(Form);

        for (var at = 0; at < bytes.Length; at += chunkSize)
        {
            fields.Scan(bytes.AsSpan(at, Math.Min(chunkSize, bytes.Length - at)));
        }

        Assert.Equal(2, fields.Count);
    }

    [Fact]
    public void Scan_OtherFieldsOnly_CountsNone()
    {
        var fields = new FormModelFields();

        fields.Scan("--b\r\nContent-Disposition: form-data; name=\"model_name\"\r\n\r\nx\r\n--b\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n--b--"u8);

        Assert.Equal(0, fields.Count);
    }
}
