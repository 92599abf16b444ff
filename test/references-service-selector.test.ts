import { ruleTester } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/references-service-selector.ts';
import { serviceSelectorCases } from './references/selectors.cases.ts';

ruleTester(rule, serviceSelectorCases);
