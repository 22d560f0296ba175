import { createSeededRandom } from './rng';
import type { FaultClass, FaultInjector, FaultRule, FiredFault, Scenario, SeededRandom } from './types';

interface RuleState {
  readonly rule: FaultRule;
  readonly index: number;
  readonly pattern: RegExp;
  readonly rng: SeededRandom;
  matched: number;
  fired: number;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

/** The fault injector plus the controls `AzureSim` needs (switch scenario, inspect counters). */
export interface ScenarioFaultInjector extends FaultInjector {
  setScenario(scenario: Scenario, seed: number): void;
  /** How often each rule fired, by rule index. */
  firedCounts(): number[];
}

/**
 * Rules are evaluated in file order; each has its own rng stream (seed + rule index), so whether
 * the n-th matching request is hit does not depend on traffic to other routes.
 */
export function createFaultInjector(scenario: Scenario, seed: number): ScenarioFaultInjector {
  let states: RuleState[] = [];

  const setScenario = (next: Scenario, nextSeed: number): void => {
    const root = createSeededRandom(nextSeed);
    states = next.rules.map((rule, index) => ({
      rule,
      index,
      pattern: globToRegExp(rule.route),
      rng: root.fork(`rule-${index}`),
      matched: 0,
      fired: 0,
    }));
  };
  setScenario(scenario, seed);

  return {
    setScenario,
    firedCounts: () => states.map((s) => s.fired),
    take(route: string, classes: readonly FaultClass[]): FiredFault | undefined {
      for (const state of states) {
        if (!classes.includes(state.rule.fault) || !state.pattern.test(route)) continue;
        state.matched += 1;
        if (state.matched <= (state.rule.after ?? 0)) continue;
        if (state.rule.times !== undefined && state.fired >= state.rule.times) continue;
        const probability = state.rule.probability ?? 1;
        if (probability < 1 && state.rng.next() >= probability) continue;
        state.fired += 1;
        return { rule: state.rule, ruleIndex: state.index };
      }
      return undefined;
    },
  };
}
