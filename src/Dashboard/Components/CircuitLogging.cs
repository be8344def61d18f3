namespace AiPlatform.Dashboard.Components;

public static class CircuitLogging
{
    // SignalR's hub dispatcher logs every invocation with its arguments at Debug ("Received hub invocation: ..."). A
    // browser event on a form field carries the field's value, so a click into the show-once field sends the new key or
    // admin token, and turning the level up to diagnose something would write it to the logs.
    private const string HubDispatcherCategory = "Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher";

    /// <summary>
    /// Keeps what the browser sends over the circuit out of the logs: the hub dispatcher's entries below Information are
    /// dropped for every provider, whatever configuration sets (<c>Logging:LogLevel</c> or a provider's own section).
    /// </summary>
    public static IServerSideBlazorBuilder KeepCircuitMessagesOutOfLogs(this IServerSideBlazorBuilder builder)
    {
        // After every configured rule: one rule for the category per provider that has rules of its own (and one for the
        // rest) is more specific than any of theirs, and added last it wins over one as specific.
        builder.Services.PostConfigure<LoggerFilterOptions>(options =>
        {
            foreach (var provider in options.Rules.Select(rule => rule.ProviderName).Append(null).Distinct().ToList())
            {
                options.Rules.Add(new LoggerFilterRule(provider, HubDispatcherCategory, LogLevel.Information, null));
            }
        });
        return builder;
    }
}
