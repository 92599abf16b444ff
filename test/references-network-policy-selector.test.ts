import { ruleTester } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/references-network-policy-selector.ts';
import { networkPolicySelectorCases } from './references/selectors.cases.ts';

ruleTester(rule, networkPolicySelectorCases);
