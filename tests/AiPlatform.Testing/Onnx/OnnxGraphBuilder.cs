using AiPlatform.Testing.Onnx.Schema;
using Google.Protobuf;

namespace AiPlatform.Testing.Onnx;

/// <summary>
/// Writes an ONNX model node by node, as the standard's schema defines it (onnx.proto beside this file): named inputs
/// and outputs with symbolic or fixed dimensions, constant tensors, operators of the default domain at opset 17.
/// </summary>
public sealed class OnnxGraphBuilder(string name)
{
    private const long IrVersion = 8;
    private const long Opset = 17;

    private readonly GraphProto _graph = new() { Name = name };

    /// <summary>A graph input; <paramref name="dims"/> are each a <see cref="long"/> (fixed) or a <see cref="string"/> (symbolic, e.g. "batch").</summary>
    public OnnxGraphBuilder Input(string tensor, TensorProto.Types.DataType type, params object[] dims)
    {
        _graph.Input.Add(ValueInfo(tensor, type, dims));
        return this;
    }

    /// <inheritdoc cref="Input"/>
    public OnnxGraphBuilder Output(string tensor, TensorProto.Types.DataType type, params object[] dims)
    {
        _graph.Output.Add(ValueInfo(tensor, type, dims));
        return this;
    }

    public OnnxGraphBuilder Floats(string tensor, long[] dims, IEnumerable<float> values)
    {
        var proto = new TensorProto { Name = tensor, DataType = (int)TensorProto.Types.DataType.Float };
        proto.Dims.AddRange(dims);
        proto.FloatData.AddRange(values);
        _graph.Initializer.Add(proto);
        return this;
    }

    public OnnxGraphBuilder Int64s(string tensor, long[] dims, params long[] values)
    {
        var proto = new TensorProto { Name = tensor, DataType = (int)TensorProto.Types.DataType.Int64 };
        proto.Dims.AddRange(dims);
        proto.Int64Data.AddRange(values);
        _graph.Initializer.Add(proto);
        return this;
    }

    /// <summary>An operator of the default domain, with integer <paramref name="attributes"/> (<c>axis</c>, <c>to</c>, <c>keepdims</c> …).</summary>
    public OnnxGraphBuilder Node(string opType, string[] inputs, string[] outputs, params (string Name, long Value)[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = $"{opType}_{_graph.Node.Count}" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        foreach (var (attribute, value) in attributes)
        {
            node.Attribute.Add(new AttributeProto { Name = attribute, Type = AttributeProto.Types.AttributeType.Int, I = value });
        }

        _graph.Node.Add(node);
        return this;
    }

    public void Save(string path)
    {
        var model = new ModelProto { IrVersion = IrVersion, ProducerName = "AiPlatform.Testing", Graph = _graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        File.WriteAllBytes(path, model.ToByteArray());
    }

    private static ValueInfoProto ValueInfo(string tensor, TensorProto.Types.DataType type, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(dim switch
            {
                string symbol => new TensorShapeProto.Types.Dimension { DimParam = symbol },
                _ => new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(dim, System.Globalization.CultureInfo.InvariantCulture) },
            });
        }

        return new ValueInfoProto
        {
            Name = tensor,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}
