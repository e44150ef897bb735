namespace Serverless.AutoMl.Forecasting;

/// <summary>
/// Nelder-Mead simplex minimization (standard coefficients) of a function of a few unconstrained variables;
/// deterministic for a start point. Small enough to keep here rather than take a numerics package for one optimizer.
/// </summary>
internal static class NelderMead
{
    public static double[] Minimize(Func<double[], double> f, double[] start, double initialStep = 0.5, int maxEvaluations = 600, double tolerance = 1e-8)
    {
        var n = start.Length;
        var simplex = new double[n + 1][];
        var values = new double[n + 1];
        simplex[0] = (double[])start.Clone();
        for (var i = 0; i < n; i++)
        {
            simplex[i + 1] = (double[])start.Clone();
            simplex[i + 1][i] += initialStep;
        }
        for (var i = 0; i <= n; i++) values[i] = f(simplex[i]);
        var evaluations = n + 1;
        while (evaluations < maxEvaluations)
        {
            var order = Enumerable.Range(0, n + 1).OrderBy(i => values[i]).ToArray();
            simplex = order.Select(i => simplex[i]).ToArray();
            values = order.Select(i => values[i]).ToArray();
            if (Math.Abs(values[n] - values[0]) <= tolerance * (Math.Abs(values[0]) + tolerance)) break;
            var centroid = new double[n];
            for (var i = 0; i < n; i++)
                for (var d = 0; d < n; d++) centroid[d] += simplex[i][d] / n;
            double[] Toward(double t) => centroid.Select((c, d) => c + t * (simplex[n][d] - c)).ToArray();
            var reflected = Toward(-1);
            var reflectedValue = f(reflected);
            evaluations++;
            if (reflectedValue < values[0])
            {
                var expanded = Toward(-2);
                var expandedValue = f(expanded);
                evaluations++;
                (simplex[n], values[n]) = expandedValue < reflectedValue ? (expanded, expandedValue) : (reflected, reflectedValue);
            }
            else if (reflectedValue < values[n - 1])
            {
                (simplex[n], values[n]) = (reflected, reflectedValue);
            }
            else
            {
                var contracted = reflectedValue < values[n] ? Toward(-0.5) : Toward(0.5);
                var contractedValue = f(contracted);
                evaluations++;
                if (contractedValue < Math.Min(reflectedValue, values[n]))
                {
                    (simplex[n], values[n]) = (contracted, contractedValue);
                }
                else
                {
                    for (var i = 1; i <= n; i++)
                    {
                        simplex[i] = simplex[i].Select((v, d) => simplex[0][d] + 0.5 * (v - simplex[0][d])).ToArray();
                        values[i] = f(simplex[i]);
                    }
                    evaluations += n;
                }
            }
        }
        return simplex[Array.IndexOf(values, values.Min())];
    }
}
