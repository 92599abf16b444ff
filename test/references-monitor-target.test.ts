import { ruleTester } from '../tools/lib/core/rule-tester.ts';
import rule from '../policies/references-monitor-target.ts';
import { monitorTargetCases } from './references/services.cases.ts';

ruleTester(rule, monitorTargetCases);
