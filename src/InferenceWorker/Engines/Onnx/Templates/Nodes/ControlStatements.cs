using System.Text;
using AiPlatform.InferenceWorker.Engines.Onnx.Templates.Runtime;
using AiPlatform.InferenceWorker.Engines.Onnx.Templates.Syntax;

namespace AiPlatform.InferenceWorker.Engines.Onnx.Templates.Nodes;

/// <summary><c>{% if %}…{% elif %}…{% else %}…{% endif %}</c>. No scope of its own: a <c>set</c> inside is seen after it.</summary>
internal sealed class IfStatement(SourcePosition position, IReadOnlyList<KeyValuePair<Expression, Block>> branches, Block otherwise)
    : Statement(position)
{
    public override Flow Render(RenderContext context, Scope scope, StringBuilder output)
    {
        foreach (var (condition, body) in branches)
        {
            if (PyOps.IsTruthy(condition.Evaluate(context, scope)))
            {
                return body.Render(context, scope, output);
            }
        }

        return otherwise.Render(context, scope, output);
    }
}

/// <summary>
/// <c>{% for target in iterable [if filter] %}…{% else %}…{% endfor %}</c>. Each iteration renders in a fresh child
/// scope holding the target and <c>loop</c>: a <c>set</c> in the body reads the outer value until it assigns, and is
/// gone at the next iteration and after the loop (which is why templates keep loop state in a namespace).
/// </summary>
internal sealed class ForStatement(SourcePosition position, AssignTarget target, Expression iterable, Expression? filter, Block body, Block otherwise)
    : Statement(position)
{
    public override Flow Render(RenderContext context, Scope scope, StringBuilder output)
    {
        var items = Items(context, scope);
        var loop = new LoopContext(items);
        var completedAnIteration = false;
        for (var i = 0; i < items.Count; i++)
        {
            var iteration = new Scope(scope);
            target.Assign(iteration, items[i]);
            loop.Index0 = i;
            iteration.Set("loop", loop);
            var flow = body.Render(context, iteration, output);
            if (flow == Flow.Break)
            {
                break;
            }

            completedAnIteration |= flow == Flow.Normal;
        }

        // Jinja clears its "run the else block" flag at the end of an iteration's body, so the else block runs unless an
        // iteration ran to its end: with no items, but also when every iteration ended in break or continue. It is
        // outside the loop, so a break in it reaches an outer loop.
        return completedAnIteration ? Flow.Normal : otherwise.Render(context, new Scope(scope), output);
    }

    private IReadOnlyList<object?> Items(RenderContext context, Scope scope)
    {
        var value = iterable.Evaluate(context, scope);
        IReadOnlyList<object?> items;
        try
        {
            items = PyOps.Iterate(value);
            if (filter is null)
            {
                return items;
            }

            var kept = new List<object?>(items.Count);
            foreach (var item in items)
            {
                var probe = new Scope(scope);
                target.Assign(probe, item);
                if (PyOps.IsTruthy(filter.Evaluate(context, probe)))
                {
                    kept.Add(item);
                }
            }

            return kept;
        }
        catch (TemplateError error)
        {
            throw ChatTemplateException.At(Position, error.Message);
        }
    }
}

/// <summary><c>{% break %}</c> and <c>{% continue %}</c>; the parser allows them only inside a loop body.</summary>
internal sealed class LoopControlStatement(SourcePosition position, Flow flow) : Statement(position)
{
    public override Flow Render(RenderContext context, Scope scope, StringBuilder output) => flow;
}
