// Each test loads the two cores with a steady stream of requests and times a fault against it; two at once would each
// measure the other's load, so they run one after the other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
