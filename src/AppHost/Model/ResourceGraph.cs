namespace AiPlatform.AppHost.Model;

/// <summary>The order <c>WaitFor</c> imposes on the resources.</summary>
public static class ResourceGraph
{
    /// <summary>
    /// Groups the resources into levels: a resource's level is one past the highest level it waits for, so each
    /// level can start, in parallel, once the previous ones are ready, and stop before them. Within a level the
    /// resources keep the order they were added in. Fails on a cycle or on waiting for a resource not in the list.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<Resource>> Levels(IReadOnlyList<Resource> resources)
    {
        var levels = new Dictionary<Resource, int>();
        var visiting = new HashSet<Resource>();

        int LevelOf(Resource resource, Resource? waiter)
        {
            if (levels.TryGetValue(resource, out var known))
            {
                return known;
            }

            if (!resources.Contains(resource))
            {
                throw new InvalidOperationException($"'{waiter}' waits for '{resource.Name}', which is not part of the application.");
            }

            if (!visiting.Add(resource))
            {
                throw new InvalidOperationException($"'{resource.Name}' waits for itself through a cycle of WaitFor calls.");
            }

            var level = resource.WaitsFor.Count == 0 ? 0 : resource.WaitsFor.Max(dependency => LevelOf(dependency, resource)) + 1;
            visiting.Remove(resource);
            levels[resource] = level;
            return level;
        }

        foreach (var resource in resources)
        {
            LevelOf(resource, null);
        }

        return [.. resources.GroupBy(r => levels[r]).OrderBy(g => g.Key).Select(g => (IReadOnlyList<Resource>)[.. g])];
    }
}
