// Each test runs whole service processes; one at a time keeps the timings of the crash test honest on small machines.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
