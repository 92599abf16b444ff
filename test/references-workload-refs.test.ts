import { ruleTester } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/references-workload-refs.ts';
import { workloadRefsCases } from './references/workload-refs.cases.ts';

ruleTester(rule, workloadRefsCases);
