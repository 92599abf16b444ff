import { ruleTester } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/references-pdb-selector.ts';
import { pdbSelectorCases } from './references/selectors.cases.ts';

ruleTester(rule, pdbSelectorCases);
