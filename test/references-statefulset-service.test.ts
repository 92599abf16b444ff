import { ruleTester } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/references-statefulset-service.ts';
import { statefulsetServiceCases } from './references/services.cases.ts';

ruleTester(rule, statefulsetServiceCases);
