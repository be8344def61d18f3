namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates.Syntax;

/// <summary>A place in the template source, 1-based, as error messages give it.</summary>
internal readonly record struct SourcePosition(int Line, int Column)
{
    public override string ToString() => $"line {Line}, column {Column}";
}
