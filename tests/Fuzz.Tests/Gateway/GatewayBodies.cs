using AiPlatform.Gateway.Requests;
using FsCheck;
using FsCheck.Fluent;
using static AiPlatform.Fuzz.Tests.Generators;

namespace AiPlatform.Fuzz.Tests.Gateway;

/// <summary>One body for one operation, as the parser sees it.</summary>
public sealed record ParserCase(InferenceOperation Operation, FuzzInput Body)
{
    public override string ToString() => $"{Operation}, {Body}";
}

/// <summary>Request bodies of the OpenAI operations: from the grammar (valid, or with anything in any field).</summary>
public static class GatewayBodies
{
    public static Gen<InferenceOperation> Operation => Gen.Elements(Enum.GetValues<InferenceOperation>());

    private static Gen<Json> Str(bool hostile) => Text(hostile).Select(t => (Json)new JsonString(t));

    private static Gen<Json> Bool => Gen.Elements("true", "false").Select(b => (Json)new JsonLiteral(b));

    private static Gen<Json> Lit(params string[] literals) => Gen.Elements(literals).Select(l => (Json)new JsonLiteral(l));

    private static Gen<Json> Obj(params (string Name, Gen<Json> Value)[] members) =>
        Gen.CollectToList(members.Select(m => m.Value.Select(v => KeyValuePair.Create(m.Name, v))))
            .Select(list => (Json)new JsonObject([.. list]));

    private static Gen<Json> Part(bool hostile) => Obj(("type", Gen.Constant<Json>(new JsonString("text"))), ("text", Str(hostile)));

    private static Gen<Json> Content(bool hostile) => hostile
        ? Gen.Frequency((4, Str(true)), (2, UpTo(Part(true), 3).Select(p => (Json)new JsonArray(p))), (1, Lit("null", "1", "true")), (1, Value(true)))
        : Gen.Frequency((4, Str(false)), (1, UpTo(Part(false), 3).Select(p => (Json)new JsonArray(p))));

    private static Gen<Json> Message(bool hostile)
    {
        var role = hostile ? Gen.Frequency((5, Gen.Elements(Roles)), (1, Text(true))) : Gen.Elements(Roles);
        var members = UpTo(Gen.Elements("name", "tool_call_id", "x"), 2).SelectMany(extra =>
            Gen.Zip(role, Gen.Zip(Content(hostile), Gen.Zip(Gen.Elements(true, true, true, !hostile), Str(hostile)))).Select(t =>
            {
                var list = new List<KeyValuePair<string, Json>> { KeyValuePair.Create("role", (Json)new JsonString(t.Item1)) };
                if (t.Item2.Item2.Item1)
                {
                    list.Add(KeyValuePair.Create("content", t.Item2.Item1));
                }

                list.AddRange(extra.Distinct().Select(name => KeyValuePair.Create(name, t.Item2.Item2.Item2)));
                return (Json)new JsonObject(list);
            }));
        return hostile ? Gen.Frequency((6, members), (1, Value(true))) : members;
    }

    private static Gen<Json> Messages(bool hostile) =>
        Gen.Choose(hostile ? 0 : 1, 4).SelectMany(n => Gen.ListOf(Message(hostile), n)).Select(m => (Json)new JsonArray([.. m]));

    private static Gen<Json> TextOrTokens(bool hostile) => Gen.Frequency(
        (4, Str(hostile)),
        (2, Gen.Choose(hostile ? 0 : 1, 3).SelectMany(n => Gen.ListOf(Gen.OneOf(Str(hostile), Number(false)), n)).Select(i => (Json)new JsonArray([.. i]))),
        (1, Gen.Choose(1, 3).SelectMany(n => Gen.ListOf(UpTo(Number(hostile), 3).Select(t => (Json)new JsonArray(t)), n)).Select(i => (Json)new JsonArray([.. i]))));

    private static Gen<Json> ModerationPart(bool hostile) => Gen.OneOf(
        Obj(("type", Gen.Constant<Json>(new JsonString("text"))), ("text", Str(hostile))),
        Obj(("type", Gen.Constant<Json>(new JsonString("image_url"))), ("image_url", Obj(("url", Str(hostile))))));

    /// <summary>A moderation's input: a string, or an array of strings or of parts (not both).</summary>
    private static Gen<Json> ModerationInput(bool hostile) => Gen.Frequency(
        (4, Str(hostile)),
        (2, Gen.Choose(hostile ? 0 : 1, 3).SelectMany(n => Gen.ListOf(Str(hostile), n)).Select(i => (Json)new JsonArray([.. i]))),
        (2, Gen.Choose(hostile ? 0 : 1, 3).SelectMany(n => Gen.ListOf(ModerationPart(hostile), n)).Select(i => (Json)new JsonArray([.. i]))));

    /// <summary>Rerank's documents: strings and <c>{"text"}</c> objects.</summary>
    private static Gen<Json> Documents(bool hostile) =>
        Gen.Choose(hostile ? 0 : 1, 4).SelectMany(n => Gen.ListOf(Gen.OneOf(Str(hostile), Obj(("text", Str(hostile)))), n)).Select(d => (Json)new JsonArray([.. d]));

    private static Gen<Json> Typed(string type, params (string Name, Gen<Json> Value)[] members) =>
        Obj([("type", Gen.Constant<Json>(new JsonString(type))), .. members]);

    /// <summary>A Responses input item: messages with text and image parts, function calls and their outputs, reasoning.</summary>
    private static Gen<Json> ResponsesItem(bool hostile)
    {
        var partType = hostile ? Gen.Elements("input_text", "output_text", "input_image", "input_file", "refusal", "") : Gen.Elements("input_text", "output_text");
        var part = partType.SelectMany(type => Obj(("type", Gen.Constant<Json>(new JsonString(type))), ("text", Str(hostile)), ("image_url", Str(hostile))));
        var content = Gen.OneOf(Str(hostile), UpTo(part, 3).Select(p => (Json)new JsonArray(p)));
        var role = hostile ? Gen.Elements("user", "assistant", "system", "developer", "tool", "") : Gen.Elements("user", "assistant", "system", "developer");
        var items = new List<Gen<Json>>
        {
            role.SelectMany(r => Obj(("role", Gen.Constant<Json>(new JsonString(r))), ("content", content))),
            Typed("function_call", ("call_id", Str(hostile)), ("name", Str(hostile)), ("arguments", Str(hostile))),
            Typed("function_call_output", ("call_id", Str(hostile)), ("output", Str(hostile))),
            Typed("reasoning", ("id", Str(hostile))),
        };
        if (hostile)
        {
            items.AddRange([Typed("item_reference", ("id", Str(true))), Typed("web_search_call"), Value(true)]);
        }

        return Gen.OneOf(items);
    }

    private static Gen<Json> ResponsesInput(bool hostile) => Gen.Frequency(
        (2, Str(hostile)),
        (3, Gen.Choose(hostile ? 0 : 1, 4).SelectMany(n => Gen.ListOf(ResponsesItem(hostile), n)).Select(i => (Json)new JsonArray([.. i]))));

    private static Gen<Json> ResponsesTool(bool hostile) => Gen.OneOf(
        Typed("function", ("name", Str(hostile)), ("parameters", Obj(("type", Gen.Constant<Json>(new JsonString("object")))))),
        hostile ? Typed("web_search") : Typed("function", ("name", Str(false))));

    private static string Payload(InferenceOperation operation) => operation switch
    {
        InferenceOperation.ChatCompletions => "messages",
        InferenceOperation.Completions => "prompt",
        InferenceOperation.Rerank => "documents",
        _ => "input",
    };

    private static Gen<Json> PayloadValue(InferenceOperation operation, bool hostile) => operation switch
    {
        InferenceOperation.ChatCompletions => Messages(hostile),
        InferenceOperation.Moderations => ModerationInput(hostile),
        InferenceOperation.Rerank => Documents(hostile),
        InferenceOperation.Responses => ResponsesInput(hostile),
        _ => TextOrTokens(hostile),
    };

    /// <summary>A body with the real fields, any of them of any type, in any number (repeats included).</summary>
    public static Gen<Json> Hostile(InferenceOperation operation) => Body(true,
    [
        ("model", Str(true)),
        ("messages", Messages(true)),
        ("prompt", TextOrTokens(true)),
        ("input", TextOrTokens(true)),
        ("query", Str(true)),
        ("documents", Documents(true)),
        ("top_n", Number(true)),
        ("return_documents", Gen.OneOf(Bool, Lit("null", "1"))),
        (Payload(operation), PayloadValue(operation, true)),
        ("stream", Gen.OneOf(Bool, Lit("null", "1", "\"true\""))),
        ("stream_options", Gen.OneOf(Obj(("include_usage", Gen.OneOf(Bool, Lit("null", "1")))), Lit("null", "[]", "true"))),
        ("max_tokens", Number(true)),
        ("max_completion_tokens", Number(true)),
        ("n", Number(true)),
        ("temperature", Number(true)),
        ("tools", Value(true)),
        ("user", Str(true)),
        ("metadata", Value(true)),
        ("instructions", Gen.OneOf(Str(true), Value(true))),
        ("max_output_tokens", Number(true)),
        ("tool_choice", Gen.OneOf(Lit("\"auto\"", "\"none\"", "null"), Typed("function", ("name", Str(true))), Value(true))),
        ("text", Gen.OneOf(Obj(("format", Gen.OneOf(Typed("text"), Typed("json_object"), Typed("json_schema", ("name", Str(true)), ("schema", Value(true))), Value(true)))), Value(true))),
        ("previous_response_id", Gen.OneOf(Str(true), Lit("null"))),
        ("reasoning", Gen.OneOf(Obj(("effort", Str(true))), Value(true))),
    ]);

    /// <summary>
    /// A body the parser should accept: model (optional for a moderation, as OpenAI's API has it), the operation's
    /// required fields, and optional fields of the right types, no repeats.
    /// </summary>
    public static Gen<Json> Valid(InferenceOperation operation)
    {
        var model = Text(false).Where(t => t.Length > 0).Select(t => (Json)new JsonString(t));
        var optional = new List<(string Name, Gen<Json> Value)>
        {
            ("stream", operation.CanStream() ? Bool : Lit("false")),
            ("stream_options", Obj(("include_usage", Bool))),
            ("max_tokens", Gen.Choose(1, 100_000).Select(i => (Json)new JsonLiteral(i.ToString(System.Globalization.CultureInfo.InvariantCulture)))),
            ("temperature", Lit("0", "0.7", "1.5", "2")),
            ("n", Lit("1", "2")),
            ("user", Str(false)),
            ("metadata", Object(Key(false), Value(false))),
            ("tools", UpTo(Value(false), 3).Select(t => (Json)new JsonArray(t))),
            ("x", Value(false)),
        };
        var required = new List<(string Name, Gen<Json> Value)> { (Payload(operation), PayloadValue(operation, false)) };
        switch (operation)
        {
            case InferenceOperation.Moderations:
                optional.Add(("model", model));
                break;
            case InferenceOperation.Responses:
                required.Add(("model", model));
                optional.AddRange([("instructions", Str(false)), ("max_output_tokens", Gen.Choose(1, 1000).Select(i => (Json)new JsonLiteral(i.ToString(System.Globalization.CultureInfo.InvariantCulture)))),
                    ("tools", UpTo(ResponsesTool(false), 2).Select(t => (Json)new JsonArray(t))), ("tool_choice", Lit("\"auto\"", "\"required\"")),
                    ("text", Obj(("format", Gen.OneOf(Typed("text"), Typed("json_object")))))]);
                optional.RemoveAll(o => o.Name is "stream_options" or "max_tokens" or "n" or "x" or "tools");
                break;
            case InferenceOperation.Rerank:
                required.AddRange([("model", model), ("query", Str(false))]);
                optional.AddRange([("top_n", Gen.Choose(1, 100).Select(i => (Json)new JsonLiteral(i.ToString(System.Globalization.CultureInfo.InvariantCulture)))), ("return_documents", Bool)]);
                break;
            default:
                required.Add(("model", model));
                break;
        }

        return Gen.Zip(Members(required), Gen.SubListOf(optional.ToArray()).SelectMany(chosen => Members(chosen)))
            .Select(t => (Json)new JsonObject([.. t.Item1, .. t.Item2]));
    }

    private static Gen<List<KeyValuePair<string, Json>>> Members(IEnumerable<(string Name, Gen<Json> Value)> members) =>
        Gen.CollectToList(members.Select(m => m.Value.Select(v => KeyValuePair.Create(m.Name, v)))).Select(list => list.ToList());

    public static Gen<ParserCase> Cases(Func<InferenceOperation, Gen<FuzzInput>> body) =>
        Operation.SelectMany(operation => body(operation).Select(b => new ParserCase(operation, b)));
}
