import { ruleTester } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/references-pdb-allows-eviction.ts';
import { pdbAllowsEvictionCases } from './references/selectors.cases.ts';

ruleTester(rule, pdbAllowsEvictionCases);
