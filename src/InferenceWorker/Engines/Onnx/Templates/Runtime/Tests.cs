using System.Collections.Frozen;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates.Runtime;

/// <summary>A Jinja test: <c>value is name(arguments)</c>.</summary>
internal delegate bool Test(RenderContext context, object? value, Arguments arguments);

/// <summary>
/// Jinja 3.1's tests. Python's types decide them: a bool is a <c>number</c> (bool subclasses int) but not an
/// <c>integer</c>; a string and a dict are both <c>iterable</c> and <c>sequence</c>; an undefined value is
/// <c>iterable</c> (it iterates as empty) but not <c>none</c>.
/// </summary>
internal static class Tests
{
    private static readonly FrozenDictionary<string, Test> s_tests = new Dictionary<string, Test>
    {
        ["defined"] = (_, v, a) => Unary(a, "defined") && v is not Undefined,
        ["undefined"] = (_, v, a) => Unary(a, "undefined") && v is Undefined,
        ["none"] = (_, v, a) => Unary(a, "none") && v is null,
        ["boolean"] = (_, v, a) => Unary(a, "boolean") && v is bool,
        ["true"] = (_, v, a) => Unary(a, "true") && v is true,
        ["false"] = (_, v, a) => Unary(a, "false") && v is false,
        ["integer"] = (_, v, a) => Unary(a, "integer") && v is long,
        ["float"] = (_, v, a) => Unary(a, "float") && v is double,
        ["number"] = (_, v, a) => Unary(a, "number") && PyOps.IsNumber(v),
        ["string"] = (_, v, a) => Unary(a, "string") && v is string,
        ["mapping"] = (_, v, a) => Unary(a, "mapping") && v is PyDict,
        ["iterable"] = (_, v, a) => Unary(a, "iterable") && v is string or IReadOnlyList<object?> or PyDict or Undefined or LoopContext,
        ["sequence"] = (_, v, a) => Unary(a, "sequence") && v is string or IReadOnlyList<object?> or PyDict or Undefined,
        // Jinja's Undefined defines __call__ (to raise), so Python's callable() says yes.
        ["callable"] = (_, v, a) => Unary(a, "callable") && v is Callable or Undefined,
        ["escaped"] = (_, _, a) => Unary(a, "escaped") && false,
        ["odd"] = (_, v, a) => Unary(a, "odd") && PyOps.AreEqual(PyArithmetic.Modulo(v, 2L), 1L),
        ["even"] = (_, v, a) => Unary(a, "even") && PyOps.AreEqual(PyArithmetic.Modulo(v, 2L), 0L),
        ["lower"] = (_, v, a) => Unary(a, "lower") && (bool)StringMethods.Invoke(PyFormat.Str(v), "islower", Arguments.Empty)!,
        ["upper"] = (_, v, a) => Unary(a, "upper") && (bool)StringMethods.Invoke(PyFormat.Str(v), "isupper", Arguments.Empty)!,
        ["divisibleby"] = (_, v, a) => PyOps.AreEqual(PyArithmetic.Modulo(v, Other(a, "divisibleby", "num")), 0L),
        ["sameas"] = (_, v, a) => SameAs(v, Other(a, "sameas", "other")),
        ["in"] = (_, v, a) => PyOps.Contains(Other(a, "in", "seq"), v),
        ["eq"] = Equal,
        ["equalto"] = Equal,
        ["=="] = Equal,
        ["ne"] = (_, v, a) => !PyOps.AreEqual(v, Other(a, "ne", "other")),
        ["!="] = (_, v, a) => !PyOps.AreEqual(v, Other(a, "ne", "other")),
        ["lt"] = (_, v, a) => PyOps.Compare(v, Other(a, "lt", "other"), "<") < 0,
        ["lessthan"] = (_, v, a) => PyOps.Compare(v, Other(a, "lt", "other"), "<") < 0,
        ["<"] = (_, v, a) => PyOps.Compare(v, Other(a, "lt", "other"), "<") < 0,
        ["le"] = (_, v, a) => PyOps.Compare(v, Other(a, "le", "other"), "<=") <= 0,
        ["<="] = (_, v, a) => PyOps.Compare(v, Other(a, "le", "other"), "<=") <= 0,
        ["gt"] = (_, v, a) => PyOps.Compare(v, Other(a, "gt", "other"), ">") > 0,
        ["greaterthan"] = (_, v, a) => PyOps.Compare(v, Other(a, "gt", "other"), ">") > 0,
        [">"] = (_, v, a) => PyOps.Compare(v, Other(a, "gt", "other"), ">") > 0,
        ["ge"] = (_, v, a) => PyOps.Compare(v, Other(a, "ge", "other"), ">=") >= 0,
        [">="] = (_, v, a) => PyOps.Compare(v, Other(a, "ge", "other"), ">=") >= 0,
        ["filter"] = (_, v, a) => Unary(a, "filter") && v is string name && Filters.Exists(name),
        ["test"] = (_, v, a) => Unary(a, "test") && v is string name && Exists(name),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static bool TryGet(string name, out Test test) => s_tests.TryGetValue(name, out test!);

    public static bool Exists(string name) => s_tests.ContainsKey(name);

    private static bool Equal(RenderContext context, object? value, Arguments arguments) =>
        PyOps.AreEqual(value, Other(arguments, "eq", "other"));

    private static bool Unary(Arguments arguments, string test)
    {
        arguments.Expect(test);
        return true;
    }

    private static object? Other(Arguments arguments, string test, string parameter)
    {
        arguments.Expect(test, parameter);
        return arguments.Has(0, parameter)
            ? arguments.Get(0, parameter)
            : throw new TemplateError($"test '{test}' needs an argument ({parameter})");
    }

    /// <summary>
    /// Python's <c>is</c>. None, True and False are singletons and small ints are cached, so for the values a template
    /// compares this way, identity is equality of those; anything else must be the same object.
    /// </summary>
    private static bool SameAs(object? value, object? other) => (value, other) switch
    {
        (null, null) => true,
        (bool a, bool b) => a == b,
        (long a, long b) => a == b && a is >= -5 and <= 256,
        _ => ReferenceEquals(value, other),
    };
}
